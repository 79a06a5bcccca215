package dev.ccp.server.org.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import java.util.LinkedHashMap;
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

    public OrgMemberships(Invites invites, AuditLog audit) {
        this.invites = invites;
        this.audit = audit;
    }

    /** Also claims the open invites to the person's email or handle. */
    @Override
    public Optional<SignedIn> signIn(EntityManager em, Identity identity, String orgSlug, Where where, Instant now) {
        User user = Accounts.signIn(em, identity, now);
        invites.claim(em, user, identity, now);
        Optional<Org> org = orgSlug == null ? Optional.of(Accounts.personalOrg(em, user.id()))
                : Accounts.orgBySlug(em, orgSlug).filter(o -> isMember(em, o.id(), user.id()));
        org.ifPresent(o -> Accounts.membership(em, o.id(), user.id()).filter(m -> m.role().manages()).ifPresent(m -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("via", where.via());
            details.put("role", m.role().wire());
            if (where.address() != null) {
                details.put("ip", where.address());
            }
            if (where.userAgent() != null) {
                details.put("user_agent", where.userAgent().length() > 200 ? where.userAgent().substring(0, 200) : where.userAgent());
            }
            audit.append(em, o.id(), "session.signed_in", Actor.user(user.id()), Map.of("login", user.login()), details, now);
        }));
        return org.map(o -> new SignedIn(user, o.id(), o.slug()));
    }

    @Override
    public boolean isMember(EntityManager em, String orgId, String userId) {
        return Accounts.membership(em, orgId, userId).isPresent();
    }
}
