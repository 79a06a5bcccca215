package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.DeviceCode;
import dev.ccp.sdk.License;
import dev.ccp.sdk.LoginListener;
import dev.ccp.sdk.LoginOptions;
import dev.ccp.sdk.LoginResult;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.Verification;
import dev.ccp.spi.store.Credentials;
import dev.ccp.spi.wire.DeviceAuthorizationResponse;
import dev.ccp.spi.wire.Me;
import dev.ccp.spi.wire.OAuthError;
import dev.ccp.spi.wire.TokenResponse;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One device login (RFC 8628): ask for a code, poll until the person decides, then check the server's
 * keys, fetch who they are and their pack, and only when all of that holds write anything to disk.
 * Should a step after the tokens fail, the new session is revoked so nothing is left dangling.
 */
final class LoginFlow {

    private static final Log LOG = Log.of(LoginFlow.class);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    /** A network blip during a long wait should not end the login; a dead server should. */
    static final int MAX_UNREACHABLE_POLLS = 3;
    /** How long a login waits for a server that answers but is not serving yet (starting up). */
    static final Duration STARTING_WAIT = Duration.ofSeconds(60);
    static final Duration STARTING_PAUSE_MAX = Duration.ofSeconds(8);

    private final Engine engine;

    LoginFlow(Engine engine) {
        this.engine = engine;
    }

    LoginResult run(LoginOptions options) {
        String server = engine.server().map(URI::toString).map(Engine::trim).orElseThrow(() ->
                new IllegalStateException("no server: set CcpClient.builder().server(…) or log in to one first"));
        Api api = engine.api(server);
        DeviceAuthorizationResponse device = authorize(api, options);
        DeviceCode code = deviceCode(device, URI.create(server));
        options.listener().onCode(code);
        TokenResponse tokens = poll(api, device, code.expiresAt(), options.listener());
        try {
            return finish(api, server, tokens, options);
        } catch (RuntimeException e) {
            revokeQuietly(api, tokens.refreshToken());
            throw e;
        }
    }

    /**
     * Asks for a code; a server that answers "not serving yet" (an application server still deploying,
     * a database coming back) is asked again, a little later each time, for up to {@link #STARTING_WAIT}.
     */
    private DeviceAuthorizationResponse authorize(Api api, LoginOptions options) {
        Instant giveUp = engine.config.clock().instant().plus(STARTING_WAIT);
        Duration pause = Duration.ofSeconds(1);
        while (true) {
            try {
                return api.deviceAuthorization(options.scope().orElse(null), options.org().orElse(null));
            } catch (CcpException e) {
                if (e.kind() != Kind.SERVER_UNAVAILABLE || engine.config.clock().instant().plus(pause).isAfter(giveUp)) {
                    throw e;
                }
                options.listener().onServerUnavailable(e.getMessage(), pause);
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(STARTING_PAUSE_MAX) > 0 ? STARTING_PAUSE_MAX : pause.multipliedBy(2);
            }
        }
    }

    private DeviceCode deviceCode(DeviceAuthorizationResponse device, URI server) {
        if (device.deviceCode() == null || device.userCode() == null || device.verificationUri() == null) {
            throw new CcpException(Kind.SERVER_ERROR, "the device authorization answer lacks a code or a verification URI");
        }
        try {
            URI complete = device.verificationUriComplete() == null ? null : URI.create(device.verificationUriComplete());
            Instant expiresAt = engine.config.clock().instant().plusSeconds(device.expiresIn() > 0 ? device.expiresIn() : 900);
            return new DeviceCode(device.userCode(), URI.create(device.verificationUri()), complete, expiresAt, server);
        } catch (IllegalArgumentException e) {
            throw new CcpException(Kind.SERVER_ERROR, "the verification URI is not a URI: " + e.getMessage(), null, e);
        }
    }

    private TokenResponse poll(Api api, DeviceAuthorizationResponse device, Instant deadline, LoginListener listener) {
        Duration interval = device.interval() > 0 ? Duration.ofSeconds(device.interval()) : DEFAULT_INTERVAL;
        int unreachable = 0;
        while (true) {
            sleep(interval);
            if (!engine.config.clock().instant().isBefore(deadline)) {
                throw new CcpException(Kind.LOGIN_EXPIRED, "the code expired before the login was approved");
            }
            Api.TokenAnswer answer;
            try {
                answer = api.pollDeviceToken(device.deviceCode());
                unreachable = 0;
            } catch (CcpException e) {
                boolean passing = e.kind() == Kind.SERVER_UNREACHABLE || e.kind() == Kind.SERVER_UNAVAILABLE;
                if (!passing || ++unreachable >= MAX_UNREACHABLE_POLLS) {
                    throw e;
                }
                // RFC 8628 §3.5: back off on connection failures.
                interval = interval.multipliedBy(2);
                listener.onWaiting(interval);
                continue;
            }
            if (answer.tokens() != null) {
                return answer.tokens();
            }
            String error = answer.error().error();
            switch (error) {
                case OAuthError.AUTHORIZATION_PENDING -> listener.onWaiting(interval);
                case OAuthError.SLOW_DOWN -> {
                    interval = interval.plus(SLOW_DOWN_STEP);
                    listener.onWaiting(interval);
                }
                case OAuthError.ACCESS_DENIED -> throw new CcpException(Kind.LOGIN_DENIED, "the login was denied");
                case OAuthError.EXPIRED_TOKEN, OAuthError.INVALID_GRANT ->
                        throw new CcpException(Kind.LOGIN_EXPIRED, "the code expired before the login was approved");
                default -> throw new CcpException(Kind.BAD_REQUEST, "the server refused the login: " + Api.describe(answer.error()));
            }
        }
    }

    private LoginResult finish(Api api, String server, TokenResponse tokens, LoginOptions options) {
        Instant now = engine.config.clock().instant();
        KeyRing trusted = engine.config.builtinKeys();
        List<String> toPin = List.of();
        if (trusted == null) {
            trusted = api.packKeys();
            if (trusted.forPurpose(PackKeys.LICENSE).isEmpty()) {
                throw new CcpException(Kind.SERVER_ERROR, "the server publishes no license keys");
            }
            toPin = engine.pins.check(server, trusted, options.repin());
        }
        Me me = api.me(tokens.accessToken());
        String compact = null;
        try {
            compact = api.licensePack(tokens.accessToken());
        } catch (CcpException e) {
            if (!Licenses.isNoSeat(e)) {
                throw e;
            }
            // A member without a seat may still log in, to administer the org for instance.
        }
        Verification verification = compact == null ? null : engine.pack.verifyFetched(compact, trusted);

        if (!toPin.isEmpty()) {
            engine.pins.pin(server, trusted, now);
            options.listener().onKeysPinned(toPin);
        }
        Optional<Credentials> previous = previousSession();
        engine.tokens.save(new Credentials(server, tokens.accessToken(), now.plusSeconds(tokens.expiresIn()),
                tokens.refreshToken(), me.login(), me.org()));
        previous.filter(p -> p.refreshToken() != null && !p.refreshToken().equals(tokens.refreshToken()))
                .ifPresent(p -> revokeQuietly(engine.api(p.server()), p.refreshToken()));
        License license;
        if (compact == null) {
            engine.pack.delete();
            license = License.missing("no seat in org " + me.org());
        } else {
            engine.pack.store(compact);
            license = License.of(verification);
        }
        Map<String, Object> entitlements = license.claims() == null ? Map.of() : license.claims().entitlements();
        return new LoginResult(me.login(), me.org(), license.plan().orElse(null), entitlements, toPin, license);
    }

    /** The session this login replaces. Damaged credentials are overwritten: logging in again is how they are repaired. */
    private Optional<Credentials> previousSession() {
        try {
            return engine.tokens.load();
        } catch (CcpException e) {
            LOG.log(Level.INFO, "replacing credentials that cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void sleep(Duration duration) {
        try {
            engine.config.sleeper().sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CcpException(Kind.IO, "the login was interrupted", null, e);
        }
    }

    private static void revokeQuietly(Api api, String refreshToken) {
        if (refreshToken == null) {
            return;
        }
        try {
            api.revoke(refreshToken);
        } catch (CcpException e) {
            LOG.log(Level.DEBUG, "could not revoke an abandoned session: " + e.getMessage());
        }
    }
}
