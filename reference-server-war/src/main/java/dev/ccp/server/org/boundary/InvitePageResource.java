package dev.ccp.server.org.boundary;

import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.SignInAttempts;
import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.identity.control.SignInRefused;
import dev.ccp.server.org.control.Invites;
import dev.ccp.server.org.control.OrgMemberships;
import dev.ccp.server.org.entity.Invite;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.ProviderHop;
import dev.ccp.server.platform.pages.SignInCookie;
import dev.ccp.server.platform.pages.SignInLimit;
import dev.ccp.server.platform.pages.Templates;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /invite/{token}}: the page an invite link opens. It says which org and role it is for; the
 * person signs in the ways the other sign-in pages offer (a typed email of a domain an org claimed
 * goes to that org's provider, as there) and joins; an org that enforces its provider refuses the
 * other ways here too. A link that was used, revoked, has expired or never existed gets a page that
 * says so, and a client trying tokens is slowed by the sign-in pages' rate limit.
 */
@RequestScoped
@Path("invite")
public class InvitePageResource {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @Inject
    Tx tx;
    @Inject
    Invites invites;
    @Inject
    OrgMemberships memberships;
    @Inject
    SignInMethods methods;
    @Inject
    SignInLimit limit;
    @Inject
    Templates templates;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;
    @Context
    HttpServletRequest request;
    @Context
    UriInfo uri;

    @GET
    @Path("{token}")
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("token") String token) {
        return tx.call(em -> {
            Instant now = clock.instant();
            Map<String, Object> page = page("Join an org");
            Response limited = limited(em, page);
            if (limited != null) {
                return limited;
            }
            Optional<Invite> invite = invites.byToken(em, token);
            if (invite.isEmpty() || invite.get().state(now) != Invite.State.OPEN) {
                return closed(page, invite.map(i -> i.state(now)).orElse(null));
            }
            return open(200, page, invites.org(em, invite.get()), invite.get());
        });
    }

    @POST
    @Path("{token}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response join(@PathParam("token") String token, MultivaluedMap<String, String> form, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Map<String, String> fields = Pages.fields(form);
        Map<String, Object> page = page("Join an org");
        page.put("login", fields.getOrDefault("login", ""));
        page.put("ssoEmail", fields.getOrDefault("sso_email", ""));
        String base = Requests.baseUrl(config, uri);
        Object outcome = tx.call(em -> {
            Instant now = clock.instant();
            Response limited = limited(em, page);
            if (limited != null) {
                return limited;
            }
            Optional<Invite> invite = invites.byToken(em, token);
            if (invite.isEmpty() || invite.get().state(now) != Invite.State.OPEN) {
                return closed(page, invite.map(i -> i.state(now)).orElse(null));
            }
            Org org = invites.org(em, invite.get());
            if (!Csrf.valid(csrfCookie, fields.get("csrf"))) {
                page.put("error", "This form expired or did not come from this site. Please try again.");
                return open(403, page, org, invite.get());
            }
            Map<String, Object> resume = Map.of("invite", invite.get().id());
            if ("github".equals(fields.get("method")) && methods.github().isPresent()) {
                SignInMethods.Redirect github = methods.startGitHub(em, "invite", resume, base, now);
                return Response.seeOther(github.to()).cookie(SignInCookie.set(github.state(), config, request)).build();
            }
            try {
                if ("sso".equals(fields.get("method"))) {
                    return methods.startSso(em, fields.get("sso_email"), "invite", resume, now);
                }
                Identity typed = methods.typed(fields);
                Optional<SignInMethods.SsoStart> routed = methods.routeTyped(em, typed, "invite", resume, now);
                if (routed.isPresent()) {
                    return routed.get();
                }
                return joinAs(em, invite.get(), typed, Memberships.STAND_IN, page, now);
            } catch (IllegalArgumentException e) {
                page.put("error", e.getMessage());
                return open(400, page, org, invite.get());
            } catch (Memberships.Refused e) {
                page.put("error", e.getMessage());
                return open(403, page, org, invite.get());
            }
        });
        if (outcome instanceof SignInMethods.SsoStart start) {
            // The provider is asked where to send the person only now, with no transaction open.
            try {
                SignInMethods.Redirect redirect = methods.ssoRedirect(start, base);
                return ProviderHop.to(redirect.to(), redirect.state(), templates, config, request);
            } catch (SignInRefused e) {
                page.put("error", e.getMessage());
                return Pages.html(502, templates.render("invite", page)).build();
            }
        }
        return (Response) outcome;
    }

    /** Finishes joining by an invite once GitHub or the org's provider said who the person is. */
    @GET
    @Path("finish")
    @Produces(MediaType.TEXT_HTML)
    public Response finish(@CookieParam(SignInCookie.NAME) String state) {
        Instant now = clock.instant();
        Map<String, Object> page = page("Join an org");
        Response answer = tx.call(em -> SignInAttempts.finish(em, state, "invite", now).map(finished ->
                invites.byId(em, String.valueOf(finished.resume().get("invite")))
                        .map(invite -> invite.state(now) == Invite.State.OPEN
                                ? finishAs(em, invite, finished.identity(), finished.provider(), page, now)
                                : closed(page, invite.state(now)))
                        .orElseGet(() -> closed(page, null)))
                .orElseGet(() -> {
                    page.put("error", "This sign-in expired or was finished already. Open your invite link again.");
                    return Pages.html(400, templates.render("invite", page)).build();
                }));
        return Response.fromResponse(answer).cookie(SignInCookie.clear(request)).build();
    }

    /** Joins as who a provider vouched for, on the page the sign-in came back to, which has no form to try again from. */
    private Response finishAs(EntityManager em, Invite invite, Identity identity, String method, Map<String, Object> page, Instant now) {
        try {
            return joinAs(em, invite, identity, method, page, now);
        } catch (Memberships.Refused e) {
            page.put("error", e.getMessage() + ". Open your invite link again to do so.");
            return Pages.html(403, templates.render("invite", page)).build();
        }
    }

    /**
     * Joins as the person {@code method} vouched for.
     *
     * @throws Memberships.Refused when the org lets its members in only through its own provider
     */
    private Response joinAs(EntityManager em, Invite invite, Identity identity, String method, Map<String, Object> page, Instant now) {
        Optional<OrgMemberships.Joined> in = memberships.join(em, identity, invite, Memberships.WEB, method, now);
        if (in.isEmpty()) {
            // Someone else used the link between the page and this form.
            return closed(page, Invite.State.USED);
        }
        Invites.Accepted a = in.get().accepted();
        Map<String, Object> joined = page("Joined " + a.org().slug());
        joined.put("joined", true);
        joined.put("login", in.get().user().login());
        joined.put("org", a.org().slug());
        joined.put("role", a.membership().role().wire());
        joined.put("seat", a.membership().seat() != null);
        joined.put("seatMissing", a.seatMissing());
        return Pages.html(200, templates.render("invite", joined)).build();
    }

    private Response open(int status, Map<String, Object> page, Org org, Invite invite) {
        String csrf = Csrf.newToken();
        page.put("open", true);
        page.put("org", org.slug());
        page.put("role", invite.role().wire());
        page.put("seat", invite.seat());
        page.put("expires", WHEN.format(invite.expiresAt()));
        page.put("csrf", csrf);
        return Pages.html(status, templates.render("invite", page), methods.formTargets()).cookie(Csrf.cookie(csrf, config, request)).build();
    }

    private Response closed(Map<String, Object> page, Invite.State state) {
        String why = state == null ? "This invite link is not known here. Check that you copied all of it."
                : switch (state) {
                    case USED -> "This invite link was used already: each link lets one person join.";
                    case REVOKED -> "This invite was revoked by the org.";
                    case EXPIRED -> "This invite has expired.";
                    case OPEN -> throw new IllegalStateException("an open invite is not closed");
                };
        page.put("closed", why);
        return Pages.html(state == null ? 404 : 410, templates.render("invite", page)).build();
    }

    /** The sign-in pages' limit per client address, so that invite tokens cannot be tried at speed. */
    private Response limited(EntityManager em, Map<String, Object> page) {
        return limit.exceeded(em, request).map(wait -> {
            page.put("error", "Too many tries from your address; wait a minute and try again.");
            return Pages.html(429, templates.render("invite", page)).header("Retry-After", wait.toSeconds()).build();
        }).orElse(null);
    }

    private Map<String, Object> page(String title) {
        Map<String, Object> page = new HashMap<>();
        page.put("title", title);
        page.put("action", request.getRequestURI());
        page.put("standIn", methods.standIn());
        page.put("github", methods.github().isPresent());
        return page;
    }
}
