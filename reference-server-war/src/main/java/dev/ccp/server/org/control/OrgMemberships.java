package dev.ccp.server.org.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import java.util.Map;

import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.entity.Org;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Optional;

/** What identity asks of orgs (see {@link Memberships}), answered from the memberships held here. */
public final class OrgMemberships implements Memberships {

    private final Invites invites;
    private final AuditLog audit;
    private final SingleSignOn sso;

    public OrgMemberships(Invites invites, AuditLog audit, SingleSignOn sso) {
        this.invites = invites;
        this.audit = audit;
        this.sso = sso;
    }

    /** Also claims the open invites to the person's email or handle. */
    @Override
    public Optional<SignedIn> signIn(EntityManager em, Identity identity, String orgSlug, String via, String method, Instant now) {
        User user = Accounts.signIn(em, identity, now);
        invites.claim(em, user, identity, now);
        Optional<Org> org = orgSlug == null ? Optional.of(Accounts.personalOrg(em, user.id()))
                : Accounts.orgBySlug(em, orgSlug).filter(o -> isMember(em, o.id(), user.id()));
        org.ifPresent(o -> {
            sso.refusal(em, o, user.id(), method).ifPresent(why -> {
                throw new Refused(why);
            });
            recordSignIn(em, o, user, via, method, now);
        });
        return org.map(o -> new SignedIn(user, o.id(), o.slug()));
    }

    @Override
    public Optional<SignedIn> join(EntityManager em, Identity identity, String inviteToken, String orgSlug, String via, String method, Instant now) {
        Optional<Org> invited = invites.byToken(em, inviteToken).map(i -> invites.org(em, i));
        if (invited.isEmpty() || (orgSlug != null && !invited.get().slug().equals(orgSlug.toLowerCase(java.util.Locale.ROOT)))) {
            return Optional.empty();
        }
        User user = Accounts.signIn(em, identity, now);
        sso.refusal(em, invited.get(), user.id(), method).ifPresent(why -> {
            throw new Refused(why);
        });
        invites.claim(em, user, identity, now);
        Optional<Invites.Accepted> accepted = invites.accept(em, inviteToken, user, now);
        accepted.ifPresent(a -> recordSignIn(em, a.org(), user, via, method, now));
        return accepted.map(a -> new SignedIn(user, a.org().id(), a.org().slug()));
    }

    /** Every sign-in to an org goes into its audit log: who, with which role, how, and (from the request) from where. */
    private void recordSignIn(EntityManager em, Org org, User user, String via, String method, Instant now) {
        Accounts.membership(em, org.id(), user.id()).ifPresent(m ->
                audit.append(em, org.id(), "session.signed_in", Actor.user(user.id()), Map.of("login", user.login()),
                        Map.of("via", via, "method", method, "role", m.role().wire()), now));
    }

    @Override
    public boolean isMember(EntityManager em, String orgId, String userId) {
        return Accounts.membership(em, orgId, userId).isPresent();
    }
}
