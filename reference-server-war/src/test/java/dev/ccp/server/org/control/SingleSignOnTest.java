package dev.ccp.server.org.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.wire.SsoSettings;
import dev.ccp.spi.wire.TokenResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An org that enforces its own provider: the sessions its members made another way end when
 * enforcement begins (the break-glass owner's stay), sessions made through the provider afterwards
 * last, and an invite is no way around it.
 */
class SingleSignOnTest {

    static final String CALLBACK = "https://ccp.test/login/oidc/callback";

    @TempDir
    Path keys;
    Fixture f;
    SingleSignOn sso;
    Principal owner;
    Principal ada;
    String acme;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        sso = f.controls.singleSignOn;
        owner = f.signIn("owner@corp.example");
        acme = f.slugOf(owner);
        f.tx.run(em -> f.members.add(em, owner, org(em), "ada@corp.example", "member", false, f.clock.instant()));
        ada = f.signIn("ada@corp.example", acme);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Org org(jakarta.persistence.EntityManager em) {
        return em.find(Org.class, owner.orgId());
    }

    private void configure(boolean enforced, String breakGlass, String... domains) {
        f.tx.run(em -> sso.configure(em, owner, org(em), new SsoSettings("oidc", "https://idp.corp.example", "ccp",
                "a-client-secret", List.of(domains), enforced, breakGlass), CALLBACK, f.clock.instant()));
    }

    @Test
    void theClientSecretIsStoredSealedAndReadBackWhole() {
        configure(false, null, "corp.example");

        String stored = f.tx.call(em -> (String) em.createNativeQuery("select client_secret from org_sso where org_id = ?1")
                .setParameter(1, owner.orgId()).getSingleResult());
        assertThat(stored).startsWith("ccpbox1.").doesNotContain("a-client-secret");
        assertThat(f.tx.call(em -> sso.ofOrg(em, owner.orgId())).orElseThrow().clientSecret()).isEqualTo("a-client-secret");
    }

    @Test
    void aSecretThatNoLongerOpensIsShownAroundAndReplacedNotRequired() {
        configure(false, null, "corp.example");
        f.tx.run(em -> em.createNativeQuery("update org_sso set client_secret = 'ccpbox1.gone.AAAA.AAAA' where org_id = ?1")
                .setParameter(1, owner.orgId()).executeUpdate());

        assertThatThrownBy(() -> f.tx.call(em -> sso.ofOrg(em, owner.orgId()))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("cannot use the stored secret");
        Optional<dev.ccp.spi.wire.SsoView> view = f.tx.call(em -> sso.view(em, org(em), CALLBACK));
        assertThat(view).as("the settings page needs no secret").isPresent();
        f.tx.run(em -> sso.configure(em, owner, org(em), new SsoSettings("oidc", "https://idp.corp.example", "ccp", null,
                List.of("corp.example"), false, null), CALLBACK, f.clock.instant()));
        assertThatThrownBy(() -> f.tx.call(em -> sso.ofOrg(em, owner.orgId()))).as("kept as it was").isInstanceOf(ProblemException.class);

        configure(false, null, "corp.example");
        assertThat(f.tx.call(em -> sso.ofOrg(em, owner.orgId())).orElseThrow().clientSecret()).isEqualTo("a-client-secret");
    }

    /** A session as a sign-in makes one: tokens for a tool, and a cookie for the pages. */
    private record Session(TokenResponse tokens, String cookie) {
    }

    private Session session(Principal who) {
        return f.tx.call(em -> new Session(f.tokens.issue(em, who.userId(), owner.orgId(), "ccp", Fixture.ISSUER, f.clock.instant()),
                WebSessions.start(em, who.userId(), owner.orgId(), f.clock.instant())));
    }

    private Tokens.Refresh refresh(Session session) {
        return f.tx.call(em -> f.tokens.refresh(em, session.tokens().refreshToken(), "ccp", Fixture.ISSUER, f.clock.instant()));
    }

    private boolean pagesLetIn(Session session) {
        return f.tx.call(em -> WebSessions.resolve(em, session.cookie(), f.clock.instant()).isPresent());
    }

    private List<AuditEntry> audit(String action) {
        return f.tx.call(em -> f.controls.audit.search(em, owner.orgId(), new AuditLog.Filter(0, null, action, null, null), 100));
    }

    @Test
    void enforcingTheProviderEndsTheSessionsMembersMadeBeforeButNotTheBreakGlassOwners() {
        configure(false, null, "corp.example");
        Session adaBefore = session(ada);
        Session ownerBefore = session(owner);
        assertThat(refresh(adaBefore).error()).as("a provider that is not enforced ends nothing").isNull();
        adaBefore = new Session(refresh(adaBefore).tokens(), adaBefore.cookie());

        f.clock.advance(Duration.ofMinutes(1));
        configure(true, "owner@corp.example", "corp.example");

        Tokens.Refresh refused = refresh(adaBefore);
        assertThat(refused.error().error()).isEqualTo("invalid_grant");
        assertThat(refused.error().errorDescription()).contains("revoked", SingleSignOn.SSO_ENFORCED);
        Session adaAccess = adaBefore;
        assertThatThrownBy(() -> f.tx.call(em -> f.tokens.authenticate(em, "Bearer " + adaAccess.tokens().accessToken(), f.clock.instant())))
                .hasMessageContaining("revoked");
        assertThat(pagesLetIn(adaBefore)).isFalse();
        assertThat(refresh(ownerBefore).error()).as("the break-glass owner's").isNull();
        assertThat(pagesLetIn(ownerBefore)).isTrue();
        assertThat(audit("sso.changed")).last().satisfies(e -> {
            assertThat(e.details()).containsEntry("enforced", true).containsEntry("sessions_ended", 2);
        });
    }

    @Test
    void aSessionMadeThroughTheProviderAfterEnforcementLastsAndOtherWaysInAreRefused() {
        configure(true, "owner@corp.example", "corp.example");
        Memberships memberships = f.controls.memberships;
        Identity adaAtCorp = Identity.parse("ada@corp.example").orElseThrow();
        assertThatThrownBy(() -> f.tx.call(em -> memberships.signIn(em, adaAtCorp, acme, Memberships.WEB, Memberships.GITHUB, f.clock.instant())))
                .isInstanceOf(Memberships.Refused.class);
        Optional<Memberships.SignedIn> viaOidc = f.tx.call(em ->
                memberships.signIn(em, adaAtCorp, acme, Memberships.WEB, Memberships.OIDC, f.clock.instant()));
        assertThat(viaOidc).isPresent();
        Session viaProvider = session(ada);

        configure(true, "owner@corp.example", "corp.example", "corp2.example");

        assertThat(refresh(viaProvider).error()).as("changing settings that were enforced already ends nothing").isNull();
        assertThat(pagesLetIn(viaProvider)).isTrue();
        assertThat(audit("sso.changed")).last().satisfies(e -> assertThat(e.details()).doesNotContainKey("sessions_ended"));
    }

    @Test
    void aDeviceLoginApprovedBeforeEnforcementGetsNoTokensAfterIt() {
        DeviceFlow.Started started = f.tx.call(em -> f.deviceFlow.start(em, "ccp", null, acme, f.clock.instant()));
        f.tx.run(em -> f.deviceFlow.pending(em, started.grant().userCode(), f.clock.instant()).orElseThrow().approve(ada.userId(), owner.orgId()));

        configure(true, "owner@corp.example", "corp.example");

        DeviceFlow.Poll poll = f.tx.call(em -> f.deviceFlow.poll(em, started.deviceCode(), "ccp", f.clock.instant()));
        assertThat(poll.approved()).isNull();
        assertThat(poll.error().error()).isEqualTo("access_denied");
    }

    @Test
    void aBreakGlassOwnerReplacedUnderEnforcementLosesTheirSessions() {
        f.tx.run(em -> f.members.add(em, owner, org(em), "bob@corp.example", "owner", false, f.clock.instant()));
        Principal bob = f.signIn("bob@corp.example", acme);
        configure(true, "owner@corp.example", "corp.example");
        Session ownerSession = session(owner);
        Session bobSession = session(bob);

        f.tx.run(em -> sso.configure(em, owner, org(em), new SsoSettings("oidc", "https://idp.corp.example", "ccp", null,
                List.of("corp.example"), true, "bob@corp.example"), CALLBACK, f.clock.instant()));

        assertThat(refresh(ownerSession).error()).isNotNull();
        assertThat(refresh(bobSession).error()).isNull();
    }

    @Test
    void anInviteIsNoWayAroundEnforcementAndJoiningByOneIsASignIn() {
        String link = f.tx.call(em -> f.controls.invites.create(em, owner, org(em), null, "member", false, null, f.clock.instant()).token());
        configure(true, "owner@corp.example", "corp.example");
        Identity eve = Identity.parse("eve-gh").orElseThrow();

        assertThatThrownBy(() -> f.tx.call(em -> f.controls.memberships.join(em, eve, f.controls.invites.byToken(em, link).orElseThrow(),
                Memberships.WEB, Memberships.GITHUB, f.clock.instant()))).isInstanceOf(Memberships.Refused.class)
                .hasMessageContaining("through its own identity provider only");
        assertThat(audit("invite.accepted")).isEmpty();

        Identity eveAtCorp = Identity.parse("eve@corp.example").orElseThrow();
        Optional<OrgMemberships.Joined> joined = f.tx.call(em -> f.controls.memberships.join(em, eveAtCorp,
                f.controls.invites.byToken(em, link).orElseThrow(), Memberships.WEB, Memberships.OIDC, f.clock.instant()));
        assertThat(joined).hasValueSatisfying(j -> assertThat(j.user().login()).isEqualTo("eve@corp.example"));
        assertThat(audit("session.signed_in")).last().satisfies(e -> {
            assertThat(e.targets()).containsEntry("login", "eve@corp.example");
            assertThat(e.details()).containsEntry("via", "web").containsEntry("method", "oidc").containsEntry("role", "member");
        });
    }
}
