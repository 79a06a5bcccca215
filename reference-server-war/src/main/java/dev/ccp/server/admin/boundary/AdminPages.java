package dev.ccp.server.admin.boundary;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.Templates;
import dev.ccp.server.web.control.WebSessions;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every admin page shares: who is signed in and for which org, the frame around the page, and
 * the way a form is handled. A post is checked (session, CSRF token tied to the session, a role that
 * manages the org), runs in one transaction through the control layer, and ends in a redirect to the
 * page with a notice, or in the page again saying what went wrong, with the status the API gives.
 */
abstract class AdminPages {

    /** The notices a redirect may name; a fixed list, so a link cannot make the page say anything else. */
    private static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("approved", "Step approved; the run's tool carries it out now."),
            Map.entry("rejected", "Step rejected; the run's tool goes on without it."),
            Map.entry("added", "Member added."),
            Map.entry("role", "Role changed."),
            Map.entry("seat", "Seat assigned."),
            Map.entry("unseat", "Seat taken back; the member keeps the free plan's features."),
            Map.entry("removed", "Member removed; their sessions for this org have ended."),
            Map.entry("invited", "Invite sent; it is claimed at that person's next login."),
            Map.entry("revoked", "Invite revoked."),
            Map.entry("resent", "Invite sent again with a new expiry."),
            Map.entry("promoted", "Promoted to prod; connected tools pick it up within seconds."),
            Map.entry("sso", "Single sign-on saved."),
            Map.entry("sso-removed", "Single sign-on taken away; members sign in with GitHub again."),
            Map.entry("slack-installed", "Slack workspace connected. People there link their account with /ccp link."),
            Map.entry("slack-cancelled", "The Slack install was cancelled in Slack; nothing changed."),
            Map.entry("slack-expired", "That Slack install expired or was begun in another browser; add it to Slack again from here."),
            Map.entry("slack-failed", "Slack did not accept the install; add it to Slack again, and if it fails again check the app's client id and secret."),
            Map.entry("slack-taken", "That Slack workspace is connected to another CCP org; an owner or admin there disconnects it first."),
            Map.entry("github-connected", "GitHub installation connected; its pull requests are reviewed with this org's prod policy."),
            Map.entry("github-disconnected", "GitHub installation disconnected; its pull requests are no longer reviewed. The app stays"
                    + " installed on GitHub until it is uninstalled there."),
            Map.entry("slack-removed", "Slack workspace disconnected; its links and channel settings are gone."));
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final List<String[]> SECTIONS = List.of(new String[] {"", "Overview"}, new String[] {"members", "Members"},
            new String[] {"invites", "Invites"}, new String[] {"audit", "Audit log"}, new String[] {"policy", "Policy"},
            new String[] {"billing", "Billing"}, new String[] {"sso", "Sign-in"}, new String[] {"slack", "Slack"},
            new String[] {"github", "GitHub"},
            new String[] {"runs", "Runs"});

    @Inject
    Tx tx;
    @Inject
    Templates templates;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;
    @Context
    UriInfo uri;
    @Context
    HttpServletRequest request;

    /** Who is looking, at which org, with which role, and the token their forms carry. */
    record Admin(Principal caller, Org org, Membership.Role role, String csrf, Instant now, String baseUrl) {
        boolean manages() {
            return role.manages();
        }
    }

    /**
     * One page: its section of the navigation, its title, whether members who do not manage the org
     * may read it, its path in the application and its template. A section's page lies under
     * {@code /admin} unless it names its own path.
     */
    record Page(String section, String title, boolean membersMayRead, String path, String template) {
        Page(String section, String title, boolean membersMayRead) {
            this(section, title, membersMayRead, "/admin" + (section.isEmpty() ? "" : "/" + section),
                    "admin-" + (section.isEmpty() ? "overview" : section));
        }
    }

    /** Puts what a page shows into its scope. */
    @FunctionalInterface
    interface Fill {
        void into(EntityManager em, Admin admin, Map<String, Object> scope);
    }

    /**
     * What a form did: a notice to redirect with, or something to show at once (a new link); and
     * work for after the commit (waking other requests, asking a billing provider), which may add
     * what to show.
     */
    record Done(String notice, Map<String, Object> show, Supplier<Map<String, Object>> afterCommit, Response response) {
        static Done notice(String key) {
            return new Done(key, Map.of(), null, null);
        }

        static Done show(Map<String, Object> scope) {
            return new Done(null, scope, null, null);
        }

        static Done later(Supplier<Map<String, Object>> work) {
            return new Done(null, Map.of(), work, null);
        }

        /** An answer of its own, such as the step on to another site. */
        static Done answer(Response response) {
            return new Done(null, Map.of(), null, response);
        }

        Done then(Runnable work) {
            return new Done(notice, show, () -> {
                work.run();
                return null;
            }, response);
        }
    }

    /** A form's change, made by someone who manages the org. */
    @FunctionalInterface
    interface Change {
        Done apply(EntityManager em, Admin admin, Map<String, String> fields);
    }

    /** Shows a page, or sends a person who is not signed in to {@code /login} and back. */
    Response show(String session, Page page, String notice, Fill fill) {
        return tx.call(em -> admin(em, session)
                .map(admin -> render(em, admin, page, 200, Map.of("notice", NOTICES.getOrDefault(notice == null ? "" : notice, "")), fill))
                .orElseGet(() -> signIn(page)));
    }

    /** Handles a form of a page. */
    Response change(String session, MultivaluedMap<String, String> form, Page page, Fill fill, Change change) {
        return change(session, form, page, fill, true, change);
    }

    /**
     * Handles a form of a page; with {@code managersOnly} false every member may send it, and the
     * control layer decides who may make the change.
     */
    Response change(String session, MultivaluedMap<String, String> form, Page page, Fill fill, boolean managersOnly, Change change) {
        Map<String, String> fields = Pages.fields(form);
        Done done;
        Map<String, Object> show;
        try {
            done = tx.call(em -> {
                Admin admin = admin(em, session).orElse(null);
                if (admin == null) {
                    return null;
                }
                if (!Csrf.valid(admin.csrf(), fields.get("csrf"))) {
                    throw ProblemException.forbidden("This form expired or did not come from this site. Load the page again and retry.");
                }
                if (managersOnly && !admin.manages()) {
                    throw ProblemException.forbidden("Only owners and admins of " + admin.org().slug() + " change this; you are a member.");
                }
                return change.apply(em, admin, fields);
            });
            if (done == null) {
                return signIn(page);
            }
            if (done.response() != null) {
                return done.response();
            }
            Map<String, Object> later = done.afterCommit() == null ? null : done.afterCommit().get();
            show = later != null ? later : done.show();
        } catch (ProblemException e) {
            return answer(session, page, e.problem().status(), Map.of("error", e.problem().detail()), fill);
        }
        if (done.notice() != null && show.isEmpty()) {
            return Response.seeOther(URI.create(Csrf.path(request, page.path()) + "?done=" + done.notice())).build();
        }
        return answer(session, page, 200, show, fill);
    }

    private Response answer(String session, Page page, int status, Map<String, Object> extra, Fill fill) {
        return tx.call(em -> admin(em, session).map(admin -> render(em, admin, page, status, extra, fill)).orElseGet(() -> signIn(page)));
    }

    /** A file for someone who manages the org, such as an export; null from {@code make} when they may not have it. */
    Response file(String session, Page page, java.util.function.BiFunction<EntityManager, Admin, Response> make) {
        return tx.call(em -> admin(em, session).map(admin -> admin.manages() ? make.apply(em, admin)
                : render(em, admin, page, 403, Map.of(), (e, a, s) -> { })).orElseGet(() -> signIn(page)));
    }

    private Optional<Admin> admin(EntityManager em, String session) {
        Instant now = clock.instant();
        return WebSessions.resolve(em, session, now).map(caller -> {
            Accounts.CallerOrg mine = Accounts.callerOrg(em, caller);
            return new Admin(caller, mine.org(), mine.membership().role(), WebSessions.csrf(session), now, Requests.baseUrl(config, uri));
        });
    }

    private Response render(EntityManager em, Admin admin, Page page, int status, Map<String, Object> extra, Fill fill) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("title", page.title());
        scope.put("org", admin.org().slug());
        scope.put("role", admin.role().wire());
        scope.put("manages", admin.manages());
        scope.put("csrf", admin.csrf());
        scope.put("root", root());
        scope.put("logoutAction", Csrf.path(request, "/logout"));
        scope.put("healthUrl", Csrf.path(request, "/dashboards/health"));
        scope.put("sections", SECTIONS.stream().map(s -> Map.of("href", s[0].equals("runs") ? Csrf.path(request, "/runs") : href(s[0]),
                        "label", s[1], "current", s[0].equals(page.section())))
                .toList());
        if (!page.membersMayRead() && !admin.manages()) {
            scope.put("refused", "Only owners and admins of " + admin.org().slug() + " see this page; you are a member. "
                    + "Ask one of them if you need something here.");
            return Pages.html(403, templates.render(page.template(), scope)).build();
        }
        try {
            fill.into(em, admin, scope);
        } catch (ProblemException e) {
            scope.put("error", e.problem().detail());
            status = e.problem().status();
        }
        extra.forEach((k, v) -> {
            if (!"".equals(v)) {
                scope.put(k, v);
            }
        });
        return Pages.html(status, templates.render(page.template(), scope)).build();
    }

    private Response signIn(Page page) {
        String next = page.path();
        return Response.seeOther(URI.create(Csrf.path(request, "/login?next="
                + URLEncoder.encode(next, StandardCharsets.UTF_8)))).build();
    }

    /** {@code /admin/} under the application's path, so links hold behind any proxy prefix. */
    String root() {
        return Csrf.path(request, "/admin/");
    }

    /** A section's page: {@code /admin} itself for the overview. */
    String href(String section) {
        return section.isEmpty() ? root().replaceFirst("/$", "") : root() + section;
    }

    /** A number a form or link sent; null when it sent none; {@code problem} says what is wanted when it is not a number. */
    static Long number(String text, String problem) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(problem);
        }
    }

    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }
}
