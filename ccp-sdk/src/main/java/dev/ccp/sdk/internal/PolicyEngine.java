package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.PolicyListener;
import dev.ccp.sdk.PolicyReload;
import dev.ccp.sdk.PolicyStatus;
import dev.ccp.sdk.PolicyStatus.Source;
import dev.ccp.sdk.PolicyStatus.State;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.policy.PolicyClaims;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.policy.PolicyVerification;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * One channel's policy: the active pack, and every rule for replacing it. Nothing becomes active, and
 * nothing is written to the cache, before it verified: signature by a trusted policy key, this org,
 * this channel, not expired, and not older than the active pack. On any failure the active pack stays.
 *
 * <p>Cold start order: the verified cache ({@code policies/<org>/<channel>.jws}), else the bundled
 * bootstrap pack, then the network.
 */
public final class PolicyEngine {

    private static final Log LOG = Log.of(PolicyEngine.class);
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** The pack in force. */
    record Active(String pack, PolicyClaims claims, PolicyDocument document, Source source, Instant fetchedAt) {
    }

    private final Engine engine;
    private final String channel;
    private final PolicyPackCodec codec = new PolicyPackCodec();
    private final List<PolicyListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Active active;
    private Instant lastSuccess;
    private String lastError;
    private Kind errorKind;
    private boolean answered;
    private boolean lastFailed;
    private State reported;

    PolicyEngine(Engine engine, String channel) {
        this.engine = engine;
        this.channel = channel;
        load();
        this.reported = status().state();
    }

    public String channel() {
        return channel;
    }

    public PolicyDocument document() {
        Active a = active;
        return a == null ? null : a.document();
    }

    public void addListener(PolicyListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public synchronized PolicyStatus status() {
        Active a = active;
        return new PolicyStatus(channel, a == null ? null : a.claims().version(), a == null ? null : a.source(),
                a == null ? null : a.fetchedAt(), a == null ? null : a.claims().expiresAt(), lastSuccess, lastError,
                errorKind, state(a, engine.config.clock().instant()));
    }

    private State state(Active a, Instant now) {
        boolean offline = engine.config.policy().offline();
        if (a == null) {
            return answered || lastFailed || offline || lastError != null ? State.FAILED : State.INITIALIZING;
        }
        if (!now.minus(codec.skew()).isBefore(a.claims().expiresAt()) && a.source() != Source.BOOTSTRAP) {
            return State.STALE;
        }
        if (offline || lastFailed) {
            return State.STALE;
        }
        return answered ? State.CURRENT : State.INITIALIZING;
    }

    /** Asks the server once, holding up to {@code waitSeconds} for a newer pack. */
    public PolicyReload fetch(int waitSeconds) {
        if (engine.config.policy().offline()) {
            throw fail(new CcpException(Kind.SERVER_UNREACHABLE, "the client is in offline mode"));
        }
        Active before = active;
        try {
            String org = engine.session().org();
            String etag = before != null && before.claims().org().equals(org) ? PolicyPackCodec.etag(before.claims()) : null;
            Api.PolicyAnswer answer = engine.authorized((api, token) -> api.policy(token, channel, etag, waitSeconds));
            if (answer.pack() == null) {
                confirmed(before);
                succeeded(null);
                return new PolicyReload(version(before), false, List.of(), status());
            }
            Active fetched = verified(answer.pack(), org, Source.NETWORK, engine.config.clock().instant(), false);
            boolean newer = replace(fetched);
            store(fetched, org);
            succeeded(newer ? fetched : null);
            return new PolicyReload(version(before), newer, newer ? sections(before, fetched) : List.of(), status());
        } catch (CcpException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            throw fail(new CcpException(Kind.SERVER_ERROR, "policy fetch failed: " + e, null, e));
        }
    }

    /** The server said the pack named is still its own: a cached or bundled pack is now the network's. */
    private synchronized void confirmed(Active named) {
        if (named != null && active == named && named.source() != Source.NETWORK) {
            active = new Active(named.pack(), named.claims(), named.document(), Source.NETWORK, named.fetchedAt());
        }
    }

    /** Checks a pack against the trusted policy keys, this org and channel; the cached and fetched ones must not be expired. */
    private Active verified(String pack, String org, Source source, Instant fetchedAt, boolean acceptExpired) {
        KeyRing trusted = trusted();
        PolicyVerification v = codec.verify(pack, trusted, org, channel, engine.config.clock().instant());
        if (v.result() == PolicyVerification.Result.UNKNOWN_KEY && source == Source.NETWORK && engine.extendPins()) {
            v = codec.verify(pack, trusted(), org, channel, engine.config.clock().instant());
        }
        if (v.valid() || acceptExpired && v.result() == PolicyVerification.Result.EXPIRED) {
            PolicyDocument document = v.document() != null ? v.document() : PolicyDocument.of(v.claims().policy());
            // A bundled pack was never fetched: it counts from when it was signed.
            return new Active(pack, v.claims(), document, source, fetchedAt != null ? fetchedAt : v.claims().issuedAt());
        }
        String what = switch (source) {
            case NETWORK -> "the server's policy pack";
            case CACHE -> "the cached policy pack";
            case BOOTSTRAP -> "the bundled policy pack";
        };
        throw new CcpException(Kind.POLICY_INVALID, what + " was refused (" + v.result().name().toLowerCase(java.util.Locale.ROOT)
                + "): " + v.detail());
    }

    /** Whether {@code fetched} replaces the active pack; throws when it must be refused. */
    private synchronized boolean replace(Active fetched) {
        Active current = active;
        if (current == null || !current.claims().org().equals(fetched.claims().org())) {
            active = fetched;
            return true;
        }
        long held = current.claims().version();
        long offered = fetched.claims().version();
        if (offered < held) {
            throw new CcpException(Kind.POLICY_INVALID, "the server offered version " + offered + " of " + channel
                    + ", older than the active version " + held + "; kept " + held);
        }
        if (offered == held) {
            if (!PolicyPackCodec.canonical(current.claims().policy()).equals(PolicyPackCodec.canonical(fetched.claims().policy()))) {
                throw new CcpException(Kind.POLICY_INVALID, "the server offered version " + offered + " of " + channel
                        + " with another document than the active one; kept the active one");
            }
            if (fetched.claims().iat() > current.claims().iat()) {
                active = fetched; // the same version signed again, with a later expiry
            }
            return false;
        }
        active = fetched;
        return true;
    }

    private void load() {
        String org;
        try {
            org = engine.account().map(a -> a.org()).orElse(null);
        } catch (CcpException e) {
            // Damaged credentials: no cache to trust, but a bundled pack may still serve.
            org = null;
            lastError = e.getMessage();
            errorKind = e.kind();
        }
        Path cache = cacheFile(org);
        if (cache != null && Files.exists(cache)) {
            try {
                String pack = Files.readString(cache, StandardCharsets.US_ASCII).strip();
                active = verified(pack, org, Source.CACHE, Files.getLastModifiedTime(cache).toInstant(), false);
            } catch (CcpException e) {
                lastError = e.getMessage();
                errorKind = e.kind();
                LOG.log(Level.WARNING, e.getMessage());
            } catch (IOException | RuntimeException e) {
                lastError = "the cached policy pack cannot be read: " + e.getMessage();
                errorKind = Kind.IO;
            }
        }
        String bootstrap = engine.config.policy().bootstrap().get(channel);
        if (active == null && bootstrap != null) {
            try {
                String packOrg = org != null ? org : PolicyPackCodec.unverifiedClaims(bootstrap).org();
                active = verified(bootstrap, packOrg, Source.BOOTSTRAP, null, true);
            } catch (CcpException | IllegalArgumentException e) {
                lastError = (lastError == null ? "" : lastError + "; ") + e.getMessage();
                errorKind = Kind.POLICY_INVALID;
            }
        }
    }

    private void store(Active fetched, String org) {
        Path cache = cacheFile(org);
        if (cache == null || active != fetched) {
            return;
        }
        try {
            AtomicFiles.write(cache, (fetched.pack() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // The pack is active; only the next cold start loses it.
            LOG.log(Level.WARNING, "cannot write the policy cache " + cache + ": " + e.getMessage());
        }
    }

    private Path cacheFile(String org) {
        if (org == null || !SLUG.matcher(org).matches()) {
            return null;
        }
        return engine.config.home().resolve("policies").resolve(org).resolve(channel + ".jws");
    }

    private KeyRing trusted() {
        return engine.trusted(engine.server().map(Object::toString).orElse(null));
    }

    private void succeeded(Active changed) {
        PolicyStatus status;
        synchronized (this) {
            answered = true;
            lastFailed = false;
            lastError = null;
            errorKind = null;
            lastSuccess = engine.config.clock().instant();
            status = status();
        }
        if (changed != null) {
            for (PolicyListener listener : listeners) {
                call(() -> listener.onPolicyChanged(changed.document(), status));
            }
        }
        report(status);
    }

    private CcpException fail(CcpException e) {
        PolicyStatus status;
        synchronized (this) {
            lastFailed = true;
            lastError = e.getMessage();
            errorKind = e.kind();
            status = status();
        }
        report(status);
        return e;
    }

    private void report(PolicyStatus status) {
        synchronized (this) {
            if (status.state() == reported) {
                return;
            }
            reported = status.state();
        }
        for (PolicyListener listener : listeners) {
            call(() -> listener.onStatusChanged(status));
        }
    }

    private static void call(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a policy listener failed", e);
        }
    }

    private static Long version(Active a) {
        return a == null ? null : a.claims().version();
    }

    /** The top-level fields whose value differs between two documents. */
    private static List<String> sections(Active before, Active after) {
        if (before == null) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        before.claims().policy().fieldNames().forEachRemaining(names::add);
        after.claims().policy().fieldNames().forEachRemaining(names::add);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (!Objects.equals(before.claims().policy().get(name), after.claims().policy().get(name))) {
                out.add(name);
            }
        }
        return out;
    }
}
