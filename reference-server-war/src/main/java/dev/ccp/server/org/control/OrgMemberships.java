package dev.ccp.server.org.control;

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

    public OrgMemberships(Invites invites) {
        this.invites = invites;
    }

    /** Also claims the open invites to the person's email or handle. */
    @Override
    public Optional<SignedIn> signIn(EntityManager em, Identity identity, String orgSlug, Instant now) {
        User user = Accounts.signIn(em, identity, now);
        invites.claim(em, user, identity, now);
        Optional<Org> org = orgSlug == null ? Optional.of(Accounts.personalOrg(em, user.id()))
                : Accounts.orgBySlug(em, orgSlug).filter(o -> isMember(em, o.id(), user.id()));
        return org.map(o -> new SignedIn(user, o.id(), o.slug()));
    }

    @Override
    public boolean isMember(EntityManager em, String orgId, String userId) {
        return Accounts.membership(em, orgId, userId).isPresent();
    }
}
