package dev.ccp.server.identity.boundary;

import dev.ccp.server.identity.control.CodeEntry;
import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.SignInAttempts;
import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.identity.control.SignInRefused;
import dev.ccp.server.identity.entity.DeviceGrant;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.ProviderHop;
import dev.ccp.server.platform.pages.SignInCookie;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The verification page of the device flow, {@code /device}: a person types the code from their
 * terminal and who they are, then approves or denies.
 *
 * <p>CSRF: the form carries a random token that must equal the one in a {@code SameSite=Strict},
 * HttpOnly cookie set with the form (double submit). Guessing codes is bounded by {@link CodeEntry}.
 */
@RequestScoped
@Path("device")
public class DevicePageResource {

    @Inject
    Tx tx;
    @Inject
    SignInMethods methods;
    @Inject
    DeviceFlow deviceFlow;
    @Context
    UriInfo uri;
    @Inject
    CodeEntry codeEntry;
    @Inject
    Templates templates;
    @Inject
    Clock clock;
    @Inject
    Memberships memberships;
    @Inject
    ServerConfig config;
    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("user_code") String userCode, @QueryParam("invite") String invite) {
        Map<String, Object> page = page("Log in a device");
        page.put("showForm", true);
        page.put("userCode", userCode == null ? "" : userCode);
        page.put("invite", invite == null ? "" : invite);
        return html(200, page, Csrf.newToken());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response decide(MultivaluedMap<String, String> form, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Map<String, String> fields = Pages.fields(form);
        String typedCode = fields.getOrDefault("user_code", "");
        String decision = fields.get("decision");
        Map<String, Object> page = page("Log in a device");
        page.put("userCode", typedCode == null ? "" : typedCode);
        page.put("login", fields.getOrDefault("login", ""));
        page.put("invite", fields.getOrDefault("invite", ""));

        if (!Csrf.valid(csrfCookie, fields.get("csrf"))) {
            return retry(403, page, "This form expired or did not come from this site. Please try again.");
        }
        page.put("ssoEmail", fields.getOrDefault("sso_email", ""));
        if (!"approve".equals(decision) && !"deny".equals(decision) && !"sso".equals(decision)
                && !("github".equals(decision) && methods.github().isPresent())) {
            return retry(400, page, "Choose Approve or Deny.");
        }
        String address = Requests.clientAddress(config, request);
        String base = Requests.baseUrl(config, uri);
        Object outcome = tx.call(em -> {
            CodeEntry.Result entered = codeEntry.enter(em, typedCode, address, clock.instant());
            if (entered.grant() == null) {
                Response refused = retry(entered.status(), page, entered.refusal());
                if (entered.retryAfter() != null) {
                    refused.getHeaders().putSingle("Retry-After", Long.toString(Math.max(1, entered.retryAfter().toSeconds())));
                }
                return refused;
            }
            DeviceGrant grant = entered.grant();
            page.put("org", grant.requestedOrg());
            if ("deny".equals(decision)) {
                grant.deny();
                Map<String, Object> done = page("Login denied");
                done.put("denied", true);
                return html(200, done, null);
            }
            // The code is right: GitHub or the org's provider says who approves it, and /device/finish approves it.
            Map<String, Object> resume = new HashMap<>();
            resume.put("user_code", typedCode);
            resume.put("invite", fields.getOrDefault("invite", ""));
            try {
                if ("github".equals(decision)) {
                    SignInMethods.Redirect github = methods.startGitHub(em, "device", resume, base, clock.instant());
                    return Response.seeOther(github.to()).cookie(SignInCookie.set(github.state(), config, request)).build();
                }
                if ("sso".equals(decision)) {
                    return methods.startSso(em, fields.get("sso_email"), "device", resume, clock.instant());
                }
                Identity typed = methods.typed(fields);
                Optional<SignInMethods.SsoStart> routed = methods.routeTyped(em, typed, "device", resume, clock.instant());
                if (routed.isPresent()) {
                    return routed.get();
                }
                return approve(em, grant, typed, Memberships.STAND_IN, fields.get("invite"), page);
            } catch (IllegalArgumentException e) {
                return retry(400, page, e.getMessage());
            }
        });
        if (outcome instanceof SignInMethods.SsoStart start) {
            try {
                SignInMethods.Redirect redirect = methods.ssoRedirect(start, base);
                return ProviderHop.to(redirect.to(), redirect.state(), templates, config, request);
            } catch (SignInRefused e) {
                return retry(502, page, e.getMessage());
            }
        }
        return (Response) outcome;
    }

    /** Finishes an approval that GitHub vouched for: the code is approved for who GitHub said. */
    @GET
    @Path("finish")
    @Produces(MediaType.TEXT_HTML)
    public Response finish(@CookieParam(SignInCookie.NAME) String state) {
        Map<String, Object> page = page("Log in a device");
        Instant now = clock.instant();
        Response answer = tx.call(em -> SignInAttempts.finish(em, state, "device", now).map(finished -> {
            String code = String.valueOf(finished.resume().get("user_code"));
            page.put("userCode", code);
            page.put("invite", finished.resume().getOrDefault("invite", ""));
            return deviceFlow.pending(em, code, now).map(grant -> {
                page.put("org", grant.requestedOrg());
                return approve(em, grant, finished.identity(), finished.provider(),
                        (String) finished.resume().get("invite"), page);
            }).orElseGet(() -> retry(400, page, "The code expired while you signed in; run ccp login again for a new one."));
        }).orElseGet(() -> retry(400, page, "This sign-in expired or was finished already. Enter the code again.")));
        return Response.fromResponse(answer).cookie(SignInCookie.clear(request)).build();
    }

    private Response approve(EntityManager em, DeviceGrant grant, Identity identity, String method, String inviteField,
            Map<String, Object> page) {
        try {
            return approveAs(em, grant, identity, method, inviteToken(inviteField), page);
        } catch (Memberships.Refused e) {
            return retry(403, page, e.getMessage());
        }
    }

    private Response approveAs(EntityManager em, DeviceGrant grant, Identity identity, String method, String invite, Map<String, Object> page) {
        Memberships.SignedIn in;
        if (invite != null) {
            in = memberships.join(em, identity, invite, grant.requestedOrg(), Memberships.DEVICE, method, clock.instant()).orElse(null);
            if (in == null) {
                return retry(410, page, "This invite link is used, revoked, expired or unknown"
                        + (grant.requestedOrg() == null ? "" : ", or it is not for org " + grant.requestedOrg())
                        + ". Ask the org for a new one, or leave the field empty.");
            }
        } else {
            in = memberships.signIn(em, identity, grant.requestedOrg(), Memberships.DEVICE, method, clock.instant()).orElse(null);
            if (in == null) {
                return retry(403, page, identity.login() + " is not a member of org " + grant.requestedOrg()
                        + ". Ask an owner of that org to add you, or log in without --org.");
            }
        }
        grant.approve(in.user().id(), in.orgId());
        Map<String, Object> done = page("Device approved");
        done.put("approved", true);
        done.put("login", in.user().login());
        done.put("org", in.orgSlug());
        return html(200, done, null);
    }

    /** The secret of an invite link, pasted whole or alone; null when the field is empty. */
    static String inviteToken(String field) {
        if (field == null || field.isBlank()) {
            return null;
        }
        String text = field.strip();
        int at = text.lastIndexOf("/invite/");
        return at < 0 ? text : text.substring(at + "/invite/".length()).replaceFirst("[?#].*$", "");
    }

    private Response retry(int status, Map<String, Object> page, String error) {
        page.put("error", error);
        page.put("showForm", true);
        return html(status, page, Csrf.newToken());
    }

    private Map<String, Object> page(String title) {
        Map<String, Object> page = new HashMap<>();
        page.put("title", title);
        page.put("action", Csrf.path(request, "/device"));
        page.put("standIn", methods.standIn());
        page.put("github", methods.github().isPresent());
        return page;
    }

    private Response html(int status, Map<String, Object> page, String csrf) {
        if (csrf != null) {
            page.put("csrf", csrf);
        }
        Response.ResponseBuilder answer = Pages.html(status, templates.render("device", page), methods.formTargets());
        if (csrf != null) {
            answer.cookie(Csrf.cookie(csrf, config, request));
        }
        return answer.build();
    }
}
