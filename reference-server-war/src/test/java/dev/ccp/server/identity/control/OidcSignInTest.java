package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ccp.spi.testing.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checks on an OpenID provider's answers, with tokens made here: each way an ID token can be
 * wrong is refused. The flow against a real provider is {@code OidcSignInIT}'s.
 */
class OidcSignInTest {

    static final String SECRET = "client-secret-of-at-least-thirty-two-bytes";
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    HttpServer server;
    String issuer;
    RSAKey key;
    volatile JWKSet published;
    volatile String idToken;
    volatile Map<String, Object> userinfo = Map.of();
    OidcSignIn oidc;
    OidcSignIn.Client client;

    @BeforeEach
    void setUp() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        published = new JWKSet(key.toPublicJWK());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", e -> send(e, "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\""
                + issuer + "/auth\",\"token_endpoint\":\"" + issuer + "/token\",\"userinfo_endpoint\":\"" + issuer + "/me\",\"jwks_uri\":\"" + issuer + "/jwks\"}"));
        server.createContext("/jwks", e -> send(e, published.toString()));
        server.createContext("/token", e -> send(e, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"id_token\":\"" + idToken + "\"}"));
        server.createContext("/me", e -> send(e, dev.ccp.spi.wire.Json.lenient().writeValueAsString(userinfo)));
        server.start();
        oidc = new OidcSignIn(clock);
        client = new OidcSignIn.Client(issuer, "ccp-client", SECRET);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("u-1").audience("ccp-client").claim("nonce", "n-1")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("email", "Ada@Corp.example").claim("email_verified", true);
    }

    private String signed(RSAKey with, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private Identity identify(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        idToken = signed(key, change.apply(claims()).build());
        return oidc.identify(client, "code", "verifier", "n-1", "https://ccp.example/login/oidc/callback");
    }

    @Test
    void aVerifiedEmailInAGoodIdTokenIsWhoThePersonIs() throws Exception {
        assertThat(identify(c -> c)).isEqualTo(new Identity("ada@corp.example", null));
        assertThat(oidc.authorize(client, "st", "n-1", "ch", "https://ccp.example/cb").toString())
                .startsWith(issuer + "/auth?response_type=code&client_id=ccp-client")
                .contains("&scope=openid+email&state=st&nonce=n-1&code_challenge=ch&code_challenge_method=S256");
    }

    @Test
    void anEmailOnlyAtUserinfoIsTakenFromThereForTheSameSubject() throws Exception {
        userinfo = Map.of("sub", "u-1", "email", "ada@corp.example", "email_verified", true);
        assertThat(identify(c -> c.claim("email", null).claim("email_verified", null))).isEqualTo(new Identity("ada@corp.example", null));

        userinfo = Map.of("sub", "someone-else", "email", "eve@corp.example", "email_verified", true);
        assertThatThrownBy(() -> identify(c -> c.claim("email", null).claim("email_verified", null)))
                .hasMessageContaining("userinfo is for someone else");
    }

    @Test
    void anIdTokenThatIsWrongInAnyWayIsRefused() {
        assertThatThrownBy(() -> identify(c -> c.claim("nonce", "replayed"))).isInstanceOf(SignInRefused.class).hasMessageContaining("did not hold up");
        assertThatThrownBy(() -> identify(c -> c.audience("another-client"))).hasMessageContaining("did not hold up");
        assertThatThrownBy(() -> identify(c -> c.issuer("https://evil.example"))).hasMessageContaining("did not hold up");
        assertThatThrownBy(() -> identify(c -> c.expirationTime(Date.from(clock.instant().minusSeconds(120)))))
                .hasMessageContaining("did not hold up");
        assertThatThrownBy(() -> identify(c -> c.claim("email_verified", false))).hasMessageContaining("does not say your email address is verified");
    }

    @Test
    void entraIdsDomainOwnerVerifiedClaimStandsInForAMissingEmailVerified() throws Exception {
        assertThat(identify(c -> c.claim("email_verified", null).claim("xms_edov", true))).isEqualTo(new Identity("ada@corp.example", null));

        assertThatThrownBy(() -> identify(c -> c.claim("email_verified", false).claim("xms_edov", true)))
                .as("a provider that says the email is not verified is believed").hasMessageContaining("does not say your email address is verified");
        assertThatThrownBy(() -> identify(c -> c.claim("email_verified", null).claim("xms_edov", false)))
                .hasMessageContaining("does not say your email address is verified");
        assertThatThrownBy(() -> identify(c -> c.claim("email_verified", null).claim("xms_edov", "true")))
                .as("only the boolean").hasMessageContaining("does not say your email address is verified");
        assertThatThrownBy(() -> identify(c -> c.claim("email_verified", null)))
                .hasMessageContaining("does not say your email address is verified");
    }

    @Test
    void onlyAsymmetricSignaturesByThePublishedKeysCount() throws Exception {
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner(SECRET));
        idToken = hmac.serialize();
        assertThatThrownBy(() -> oidc.identify(client, "code", "v", "n-1", "cb")).hasMessageContaining("did not hold up");

        idToken = new PlainJWT(claims().build()).serialize();
        assertThatThrownBy(() -> oidc.identify(client, "code", "v", "n-1", "cb")).hasMessageContaining("did not hold up");

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        idToken = signed(stranger, claims().build());
        assertThatThrownBy(() -> oidc.identify(client, "code", "v", "n-1", "cb")).as("same kid, other key").hasMessageContaining("did not hold up");
    }

    @Test
    void aRotatedProviderKeyIsPickedUp() throws Exception {
        assertThat(identify(c -> c)).isNotNull();
        RSAKey next = new RSAKeyGenerator(2048).keyID("k2").generate();
        published = new JWKSet(List.of(next.toPublicJWK(), key.toPublicJWK()));
        key = next;

        assertThat(identify(c -> c)).isEqualTo(new Identity("ada@corp.example", null));
    }

    @Test
    void aProviderThatNamesAnotherIssuerOrIsNotHttpsIsRefused() {
        OidcSignIn.Client wrongIssuer = new OidcSignIn.Client(issuer + "/", "ccp-client", SECRET);
        assertThatThrownBy(() -> oidc.discover(wrongIssuer.issuer())).hasMessageContaining("names itself " + issuer);
        assertThatThrownBy(() -> oidc.discover("http://idp.example.com")).hasMessageContaining("is not an https address");
        clock.advance(Duration.ofMinutes(1));
    }
}
