package dev.ccp.server.identity.control;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in with an org's own OpenID provider (the authorization code flow with PKCE, {@code state} and
 * {@code nonce}). The provider is found through its discovery document; the ID token is verified
 * with nimbus-jose-jwt against the provider's JWKS (fetched again when a token names a key it has
 * not seen, so a rotated key is picked up): the signature with an algorithm from {@link #ALGORITHMS}
 * only, the issuer exactly, this client as the audience, expiry and issue time (a minute of skew),
 * and the nonce this sign-in sent. The email is used only when the provider says it is verified
 * (see {@link #verified}).
 */
public final class OidcSignIn {

    /** Asymmetric algorithms only: an HMAC token keyed with the client secret, or an unsigned one, is refused. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** Microsoft Entra ID's optional claim "email domain owner verified", its stand-in for {@code email_verified}. */
    static final String ENTRA_DOMAIN_VERIFIED = "xms_edov";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DISCOVERY_KEPT = Duration.ofHours(1);

    /** An org's client at its provider, as its owner set it up. */
    public record Client(String issuer, String clientId, String clientSecret) {
    }

    /** What the discovery document says. */
    public record Provider(String issuer, URI authorization, URI token, URI userinfo, URI jwks) {
    }

    private record Discovered(Provider provider, Instant until) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Discovered> discovered = new ConcurrentHashMap<>();
    private final Map<URI, JWKSource<SecurityContext>> keys = new ConcurrentHashMap<>();
    private final Clock clock;

    public OidcSignIn(Clock clock) {
        this.clock = clock;
    }

    /**
     * The provider an issuer names: its discovery document, kept for an hour. The document must name
     * the same issuer, and the issuer must be https (or loopback, for a provider on this machine).
     */
    public Provider discover(String issuer) throws SignInRefused {
        Discovered kept = discovered.get(issuer);
        if (kept != null && clock.instant().isBefore(kept.until())) {
            return kept.provider();
        }
        URI base = URI.create(issuer);
        if (!"https".equals(base.getScheme()) && !("http".equals(base.getScheme()) && loopback(base.getHost()))) {
            throw new SignInRefused("The org's identity provider " + issuer + " is not an https address; ask an owner of the org to fix its SSO settings.");
        }
        Map<String, Object> doc = json(send(HttpRequest.newBuilder(URI.create(issuer.replaceFirst("/+$", "") + "/.well-known/openid-configuration"))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build()), "its discovery document");
        if (!issuer.equals(doc.get("issuer"))) {
            throw new SignInRefused("The identity provider at " + issuer + " names itself " + doc.get("issuer") + "; ask an owner of the org to fix its SSO settings.");
        }
        Provider provider = new Provider(issuer, uri(doc, "authorization_endpoint"), uri(doc, "token_endpoint"),
                doc.get("userinfo_endpoint") instanceof String u ? URI.create(u) : null, uri(doc, "jwks_uri"));
        discovered.put(issuer, new Discovered(provider, clock.instant().plus(DISCOVERY_KEPT)));
        return provider;
    }

    /** Where to send the person: the provider's authorization endpoint for this sign-in. */
    public URI authorize(Client client, String state, String nonce, String challenge, String callback) throws SignInRefused {
        Provider provider = discover(client.issuer());
        String sep = provider.authorization().getRawQuery() == null ? "?" : "&";
        return URI.create(provider.authorization() + sep + "response_type=code&client_id=" + encode(client.clientId())
                + "&redirect_uri=" + encode(callback) + "&scope=" + encode("openid email") + "&state=" + encode(state)
                + "&nonce=" + encode(nonce) + "&code_challenge=" + encode(challenge) + "&code_challenge_method=S256");
    }

    /** Who the person is, from the code the provider sent them back with. */
    public Identity identify(Client client, String code, String verifier, String nonce, String callback) throws SignInRefused {
        Provider provider = discover(client.issuer());
        String basic = Base64.getEncoder().encodeToString((encode(client.clientId()) + ":" + encode(client.clientSecret()))
                .getBytes(StandardCharsets.UTF_8));
        Map<String, Object> tokens = json(send(HttpRequest.newBuilder(provider.token()).timeout(TIMEOUT)
                .header("Authorization", "Basic " + basic).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + encode(code) + "&redirect_uri="
                        + encode(callback) + "&code_verifier=" + encode(verifier))).build()), "the code exchange");
        if (!(tokens.get("id_token") instanceof String idToken)) {
            throw new SignInRefused("The identity provider's answer held no ID token; start again.");
        }
        JWTClaimsSet claims = verify(provider, client, idToken, nonce);
        Object email = claims.getClaim("email");
        Object verified = claims.getClaim("email_verified");
        if (email == null && provider.userinfo() != null && tokens.get("access_token") instanceof String access) {
            // Providers that keep claims other than the subject out of the ID token give them at userinfo.
            Map<String, Object> info = json(send(HttpRequest.newBuilder(provider.userinfo()).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + access).header("Accept", "application/json").GET().build()), "userinfo");
            if (!claims.getSubject().equals(info.get("sub"))) {
                throw new SignInRefused("The identity provider's userinfo is for someone else; start again.");
            }
            email = info.get("email");
            verified = info.get("email_verified");
        }
        if (!(email instanceof String address) || !verified(verified, claims.getClaim(ENTRA_DOMAIN_VERIFIED))) {
            throw new SignInRefused("Your identity provider does not say your email address is verified, so this server cannot use it.");
        }
        return Identity.parse(address).filter(i -> i.email() != null)
                .orElseThrow(() -> new SignInRefused("Your identity provider gave an email address this server cannot read: " + address));
    }

    /**
     * Whether the provider vouches for the email: {@code email_verified: true}, or, when it sends no
     * {@code email_verified} at all, {@code xms_edov: true}. Microsoft Entra ID never sends
     * {@code email_verified}; its optional claim {@code xms_edov} says the tenant verified that it owns
     * the email's domain, which is what a provider vouching for its own people means. A provider that
     * says {@code email_verified: false} is believed, whatever else it says.
     */
    static boolean verified(Object emailVerified, Object domainOwnerVerified) {
        return emailVerified == null ? Boolean.TRUE.equals(domainOwnerVerified) : Boolean.TRUE.equals(emailVerified);
    }

    /** The ID token's claims, if everything about it holds. */
    JWTClaimsSet verify(Provider provider, Client client, String idToken, String nonce) throws SignInRefused {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys.computeIfAbsent(provider.jwks(), this::source)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(client.clientId(),
                new JWTClaimsSet.Builder().issuer(provider.issuer()).claim("nonce", nonce).build(), Set.of("sub", "iat", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        processor.setJWTClaimsSetVerifier(claims);
        try {
            return processor.process(idToken, null);
        } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new SignInRefused("The identity provider's ID token did not hold up (" + e.getMessage() + "); start again.", e);
        }
    }

    private JWKSource<SecurityContext> source(URI jwks) {
        try {
            // No rate limit on fetching again for a key not seen yet: ID tokens come only from the
            // provider's own token endpoint, after a code exchange, so an unknown key id means the
            // provider rotated, and the new key is needed now.
            return JWKSourceBuilder.<SecurityContext>create(jwks.toURL()).rateLimited(false).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwks_uri " + jwks + " is not a URL", e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws SignInRefused {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SignInRefused("The org's identity provider could not be reached; try again in a minute.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInRefused("The sign-in was interrupted; try again.", e);
        }
    }

    private static Map<String, Object> json(HttpResponse<String> answer, String what) throws SignInRefused {
        Map<String, Object> body;
        try {
            body = JsonValues.readObject(answer.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SignInRefused("The identity provider's answer to " + what + " did not read; try again.", e);
        }
        if (answer.statusCode() != 200) {
            throw new SignInRefused("The identity provider refused " + what + " (" + answer.statusCode()
                    + (body.get("error") instanceof String error ? ", " + error : "") + "); start again.");
        }
        return body;
    }

    private static URI uri(Map<String, Object> doc, String name) throws SignInRefused {
        if (!(doc.get(name) instanceof String value)) {
            throw new SignInRefused("The identity provider's discovery document has no " + name + ".");
        }
        return URI.create(value);
    }

    private static boolean loopback(String host) {
        return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
