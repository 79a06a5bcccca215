package dev.ccp.server.license.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.keys.control.KeyPurpose;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.license.entity.LicenseEvent;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.control.PlanAllowance;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.wire.LicenseStatusResponse;
import dev.ccp.spi.wire.Problem;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An org's license: the one place its plan changes and each change is recorded
 * ({@link #changePlan}), and what a member holds from it: the effective plan (a grant past its end
 * falls back to free), the status answer, and signed license packs.
 */
public class LicenseService implements PlanAllowance {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /**
     * The plan an org is on at a moment, with what to tell its members.
     *
     * @param state      {@code active}, or the billing state behind it: {@code trialing},
     *                   {@code past_due}, {@code canceled}, or how a paid plan ended
     * @param graceUntil while a payment is overdue, when access ends unless it is paid
     */
    public record Effective(Plans.Plan plan, int seats, Instant expiresAt, String state, Instant graceUntil, String message) {
    }

    private final Plans plans;
    private final KeyStore keys;
    private final ServerConfig config;
    private final AuditLog audit;
    private final LicensePackCodec codec = new LicensePackCodec();

    public LicenseService(Plans plans, KeyStore keys, ServerConfig config, AuditLog audit) {
        this.plans = plans;
        this.keys = keys;
        this.config = config;
        this.audit = audit;
    }

    public Plans plans() {
        return plans;
    }

    public Effective effective(Org org, Instant now) {
        return effective(org, now, config.publicUrl().orElse(null));
    }

    /**
     * @param baseUrl the server's public URL, for where to renew; null leaves the link out
     */
    public Effective effective(Org org, Instant now, String baseUrl) {
        Plans.Plan plan = plans.get(org.plan());
        Instant end = org.planExpiresAt();
        String renew = baseUrl == null ? "" : "; renew at " + baseUrl + "pricing";
        Plans.Plan free = plans.free();
        if (end != null && !now.isBefore(end)) {
            String why = "past_due".equals(org.planState()) ? " because the payment did not go through" : "";
            String message = plan.name().equals(free.name()) ? null
                    : "Your " + plan.title() + " plan ended on " + DAY.format(end) + why + "; you are on " + free.title() + " now" + renew + ".";
            return new Effective(free, free.seats(), null, "active", null, message);
        }
        int seats = org.seats() != null ? org.seats() : plan.seats();
        String state = org.planState();
        String message;
        if ("past_due".equals(state)) {
            message = "The last payment for your " + plan.title() + " plan did not go through; it keeps working until "
                    + DAY.format(end) + (baseUrl == null ? "." : "; update your payment at " + baseUrl + "pricing.");
        } else if (!plan.name().equals(free.name()) || !"active".equals(state)) {
            message = switch (state) {
                case "canceled" -> "Your " + plan.title() + " plan ends on " + DAY.format(end) + renew + ".";
                case "trialing" -> "You are trying the " + plan.title() + " plan" + (end == null ? "." : " until " + DAY.format(end) + ".");
                case "active" -> end == null ? null : "Your " + plan.title() + " plan runs until " + DAY.format(end) + ".";
                default -> "Your paid plan ended (" + state.replace('_', ' ') + "); you are on " + plan.title() + " now"
                        + (baseUrl == null ? "." : "; upgrade at " + baseUrl + "pricing.");
            };
        } else {
            message = null;
        }
        return new Effective(plan, seats, end, state, org.graceUntil(), message);
    }

    /**
     * What a member without a seat has: the free plan's entitlements, whatever the org pays for, and
     * a message saying how to get more. The org's seat count and state stay as they are.
     */
    private Effective withoutSeat(Org org, Instant now, String baseUrl) {
        Effective paid = effective(org, now, baseUrl);
        Plans.Plan free = plans.free();
        if (paid.plan().name().equals(free.name())) {
            return paid;
        }
        return new Effective(free, paid.seats(), null, paid.state(), null, "You hold no seat in org " + org.slug()
                + ", so you have the " + free.title() + " plan's features; ask an owner or admin of " + org.slug() + " for a seat.");
    }

    /** What a login's license status is made from: the org as read, and the seat its user holds there (null for none). */
    public record Standing(Org org, String seat) {
    }

    public Standing standing(EntityManager em, Principal caller) {
        return new Standing(em.find(Org.class, caller.orgId()), member(em, caller).seat());
    }

    /** The status of a standing at {@code now}: a plan that has ended since it was read has ended. */
    public LicenseStatusResponse status(Standing standing, Instant now, String baseUrl) {
        Org org = standing.org();
        Effective e = standing.seat() == null ? withoutSeat(org, now, baseUrl) : effective(org, now, baseUrl);
        return new LicenseStatusResponse(org.slug(), standing.seat(), e.plan().name(), e.plan().entitlements(), e.seats(),
                e.expiresAt(), e.graceUntil(), e.state(), e.message());
    }

    /**
     * A freshly signed pack for the caller's seat. Its validity is the pack lifetime, cut short by a
     * plan that ends sooner; offline grace is only added when the plan does not end inside the pack.
     */
    public String issuePack(EntityManager em, Principal caller, String issuer, Instant now) {
        Org org = em.find(Org.class, caller.orgId());
        Membership membership = member(em, caller);
        if (membership.seat() == null) {
            throw new ProblemException(403, "no-seat", "No seat",
                    "You are a member of org " + org.slug() + " but hold no seat in it; ask an owner or admin to give you one.");
        }
        Effective e = effective(org, now, issuer);
        Instant exp = now.plus(config.packTtl());
        Instant grace = exp.plus(config.packGrace());
        if (e.expiresAt() != null && e.expiresAt().isBefore(exp)) {
            exp = e.expiresAt();
            grace = exp;
        }
        Instant refresh = min(now.plus(config.packRefresh()), exp);
        LicenseClaims claims = new LicenseClaims(issuer, caller.userId(), org.slug(), membership.seat(), e.plan().name(),
                e.plan().entitlements(), e.seats(), now.getEpochSecond(), now.getEpochSecond(), exp.getEpochSecond(),
                refresh.getEpochSecond(), grace.getEpochSecond(), Ids.id("lic"), e.state(), e.message());
        return codec.sign(claims, keys.signer(KeyPurpose.LICENSE));
    }

    /** Puts an org on a plan by hand and records why. */
    public LicenseEvent grant(EntityManager em, Org org, String planName, Integer seats, Instant expiresAt,
            String reason, String actor, Instant now) {
        Plans.Plan plan = plans.find(planName).orElseThrow(() -> ProblemException.badRequest(
                "unknown plan '" + planName + "'; plans are " + String.join(", ", plans.all().stream().map(Plans.Plan::name).toList())));
        if (seats != null && (seats < 1 || seats > 100_000)) {
            throw ProblemException.badRequest("seats must be between 1 and 100000, was " + seats);
        }
        long held = Accounts.seatsHeld(em, org.id());
        int granted = seats != null ? seats : plan.seats();
        if (granted < held) {
            throw ProblemException.conflict("seats-held", "More seats held",
                    "org " + org.slug() + " holds " + held + " seats; grant at least that many or free seats first");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ProblemException.badRequest("expires_at must be in the future, was " + expiresAt);
        }
        if (reason != null && reason.length() > 400) {
            throw ProblemException.badRequest("reason must be at most 400 characters");
        }
        String cause = "operator grant" + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
        return changePlan(em, org, new PlanTerm(plan.name(), seats, expiresAt, "active", null), cause, Actor.operator(actor), now);
    }

    /**
     * A plan as an org holds it.
     *
     * @param seats      seats bought, or null for the plan's own number
     * @param expiresAt  when the plan ends, or null when it runs until changed
     * @param state      what members are told: {@code active}, {@code trialing}, {@code past_due}, {@code canceled}, …
     * @param graceUntil the end of a payment grace period, if the org is in one
     */
    public record PlanTerm(String plan, Integer seats, Instant expiresAt, String state, Instant graceUntil) {
    }

    /**
     * Puts an org on a plan and records the change with its cause, in the caller's transaction:
     * every change of an org's plan, by an operator or a billing provider, goes through here.
     *
     * @param cause why, for the license history: an operator's reason, a billing event, a reconciliation
     * @param actor who: an operator, or a billing provider
     */
    public LicenseEvent changePlan(EntityManager em, Org org, PlanTerm term, String cause, Actor actor, Instant now) {
        org.putOnPlan(term.plan(), term.seats(), term.expiresAt(), term.state(), term.graceUntil());
        String by = actor.type().equals("billing") ? "billing:" + actor.id() : actor.id();
        LicenseEvent event = new LicenseEvent(Ids.id("lev"), org.id(), term.plan(), term.seats(), term.expiresAt(), cause, by, now);
        em.persist(event);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("plan", term.plan());
        details.put("state", term.state());
        details.put("cause", cause);
        if (term.seats() != null) {
            details.put("seats", term.seats());
        }
        if (term.expiresAt() != null) {
            details.put("expires_at", term.expiresAt().toString());
        }
        if (term.graceUntil() != null) {
            details.put("grace_until", term.graceUntil().toString());
        }
        audit.append(em, org.id(), "license.plan_changed", actor, Map.of("license_event", event.id()), details, now);
        em.flush();
        return event;
    }

    /**
     * Refuses, in plain words and with where to upgrade, when the org's plan does not include an
     * entitlement.
     */
    public void require(Org org, String entitlement, String feature, String baseUrl, Instant now) {
        Plans.Plan plan = effective(org, now).plan();
        if (plan.includes(entitlement)) {
            return;
        }
        String offer = plans.cheapestWith(entitlement).map(p -> "the " + p.title() + " plan includes them")
                .orElse("no plan includes them yet");
        throw new ProblemException(new Problem(Problem.TYPE_BASE + "not-entitled",
                "Not on your plan", 403, feature + " are not part of the " + plan.title() + " plan of " + org.slug() + "; "
                + offer + ". Upgrade at " + baseUrl + "pricing", null, baseUrl + "pricing", null));
    }

    /** Refuses ingest when the plan's privacy tier keeps usage on the user's machine. */
    public void requireUpload(Org org, String baseUrl, Instant now) {
        Plans.Plan plan = effective(org, now).plan();
        if (!"local".equals(plan.entitlements().get("privacy_tier"))) {
            return;
        }
        String offer = plans.all().stream().filter(p -> !"local".equals(p.entitlements().get("privacy_tier")))
                .findFirst().map(p -> "the " + p.title() + " plan sends minimized hourly rollups").orElse("no plan sends usage yet");
        throw new ProblemException(new Problem(Problem.TYPE_BASE + "privacy-tier",
                "Usage stays local on this plan", 403, "The " + plan.title() + " plan of " + org.slug()
                + " keeps usage on your machine, so the server takes none; " + offer + ". Upgrade at " + baseUrl + "pricing",
                null, baseUrl + "pricing", null));
    }

    @Override
    public Allowance allowance(Org org, Instant now) {
        Effective e = effective(org, now);
        return new Allowance(e.plan().name(), e.plan().title(), e.seats());
    }

    private static Membership member(EntityManager em, Principal caller) {
        return Accounts.membership(em, caller.orgId(), caller.userId()).orElseThrow(Accounts::membershipRemoved);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
