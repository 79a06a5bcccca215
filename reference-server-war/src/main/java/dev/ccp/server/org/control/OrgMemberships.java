package dev.ccp.server.org.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.entity.Invite;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What identity asks of orgs (see {@link Memberships}), answered from the memberships held here. */
public final class OrgMemberships implements Memberships {

    /** Who joined by an invite, and what the invite gave them. */
    public record Joined(User user, Invites.Accepted accepted) {
    }

    private final Invites invites;
    private final AuditLog audit;

    public OrgMemberships(Invites invites, AuditLog audit) {
        this.invites = invites;
        this.audit = audit;
    }

    /** Also claims the open invites to the person's email or handle. */
    @Override
    public Optional<SignedIn> signIn(EntityManager em, Identity identity, String orgSlug, String via, String method, Instant now) {
        User user = Accounts.signIn(em, identity, now, claimed -> recordJoined(em, claimed, identity, now));
        invites.claim(em, user, identity, now);
        Optional<Org> org = orgSlug == null ? Optional.of(Accounts.personalOrg(em, user.id()))
                : Accounts.orgBySlug(em, orgSlug).filter(o -> isMember(em, o.id(), user.id()));
        org.ifPresent(o -> {
            refuseUnlessLetIn(em, o, user, method);
            recordSignIn(em, o, user, via, method, now);
        });
        return org.map(o -> new SignedIn(user, o.id(), o.slug()));
    }

    @Override
    public Optional<SignedIn> join(EntityManager em, Identity identity, String inviteToken, String orgSlug, String via, String method, Instant now) {
        Optional<Invite> invite = invites.byToken(em, inviteToken);
        if (invite.isEmpty() || (orgSlug != null && !invites.org(em, invite.get()).slug().equals(orgSlug.toLowerCase(Locale.ROOT)))) {
            return Optional.empty();
        }
        return join(em, identity, invite.get(), via, method, now).map(j -> new SignedIn(j.user(), j.accepted().org().id(), j.accepted().org().slug()));
    }

    /**
     * Signs a person in by an invite found before (on its page, or from the secret of its link):
     * a sign-in to the org like any other, so an org that enforces its own provider refuses the
     * other ways in, and the sign-in goes into the org's audit log. Invites waiting for the person's
     * email or handle are claimed too.
     *
     * @throws Refused when the org lets its members in only through its own identity provider
     * @return empty when the invite is no longer open (someone used it since it was found)
     */
    public Optional<Joined> join(EntityManager em, Identity identity, Invite invite, String via, String method, Instant now) {
        User user = Accounts.signIn(em, identity, now, claimed -> recordJoined(em, claimed, identity, now));
        refuseUnlessLetIn(em, invites.org(em, invite), user, method);
        invites.claim(em, user, identity, now);
        Optional<Invites.Accepted> accepted = invites.accept(em, invite, user, now);
        accepted.ifPresent(a -> recordSignIn(em, a.org(), user, via, method, now));
        return accepted.map(a -> new Joined(user, a));
    }

    private static void refuseUnlessLetIn(EntityManager em, Org org, User user, String method) {
        SingleSignOn.refusal(em, org, user.id(), method).ifPresent(why -> {
            throw new Refused(why);
        });
    }

    /** A membership an owner or admin added before the person's first sign-in, taken up now. */
    private void recordJoined(EntityManager em, Membership claimed, Identity identity, Instant now) {
        audit.append(em, claimed.orgId(), "member.joined", Actor.user(claimed.userId()), Map.of("login", identity.login()),
                Map.of("role", claimed.role().wire(), "seat", claimed.seat() != null), now);
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
