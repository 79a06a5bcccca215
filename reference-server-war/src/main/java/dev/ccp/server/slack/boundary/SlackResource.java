package dev.ccp.server.slack.boundary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.SignInCookie;
import dev.ccp.server.slack.control.SlackApi;
import dev.ccp.server.slack.control.SlackCommands;
import dev.ccp.server.slack.control.SlackInteractions;
import dev.ccp.server.slack.control.SlackRequests;
import dev.ccp.server.slack.control.SlackTeams;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code /v1/slack}: what Slack sends the app. Commands and button presses are verified (signature,
 * timestamp, replay) before a byte of them is read, and answered from the database within the
 * request; Slack itself is called afterwards, by {@code SlackMessages}. The install's callback
 * finishes an install an owner or admin began on {@code /admin/slack}.
 */
@RequestScoped
@Path("v1/slack")
public class SlackResource {

    private static final Logger LOG = Logger.getLogger(SlackResource.class.getName());

    @Inject
    Tx tx;
    @Inject
    SlackRequests requests;
    @Inject
    SlackCommands commands;
    @Inject
    SlackInteractions interactions;
    @Inject
    SlackTeams teams;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;
    @Context
    UriInfo uri;
    @Context
    HttpServletRequest request;

    @POST
    @Path("commands")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode command(byte[] body, @HeaderParam("X-Slack-Request-Timestamp") String timestamp,
            @HeaderParam("X-Slack-Signature") String signature) {
        Instant now = verified(body, timestamp, signature);
        java.util.Map<String, String> form = SlackRequests.form(body);
        if ("1".equals(form.get("ssl_check"))) {
            return SlackCommands.sslCheck(); // Slack checking the certificate of the command's URL
        }
        SlackCommands.Command command = SlackCommands.Command.of(form);
        return commands.answer(tx, command, Requests.baseUrl(config, uri), now);
    }

    @POST
    @Path("interactions")
    @Consumes(MediaType.WILDCARD)
    public Response interaction(byte[] body, @HeaderParam("X-Slack-Request-Timestamp") String timestamp,
            @HeaderParam("X-Slack-Signature") String signature) {
        Instant now = verified(body, timestamp, signature);
        for (SlackInteractions.Press press : SlackInteractions.presses(SlackRequests.form(body))) {
            interactions.press(tx, press, now);
        }
        return Response.ok().build();
    }

    /**
     * Where Slack sends the browser back after an install: the state must be one this server gave
     * (single use, ten minutes) to the same browser. Ends on {@code /admin/slack} saying how it went.
     */
    @GET
    @Path("oauth/callback")
    public Response installed(@QueryParam("code") String code, @QueryParam("state") String state, @QueryParam("error") String error,
            @CookieParam(SignInCookie.NAME) String browserState) {
        Instant now = clock.instant();
        String notice;
        if (state == null || browserState == null || !Ids.constantTimeEquals(state, browserState)) {
            notice = "slack-expired";
        } else {
            Optional<String[]> begun = tx.call(em -> teams.takeInstall(em, state, now));
            if (begun.isEmpty()) {
                notice = "slack-expired";
            } else if (error != null || code == null) {
                notice = "slack-cancelled";
            } else {
                notice = finish(begun.get(), code, now);
            }
        }
        return Response.seeOther(URI.create(Csrf.path(request, "/admin/slack?done=" + notice)))
                .cookie(SignInCookie.clear(request)).build();
    }

    private String finish(String[] begun, String code, Instant now) {
        SlackApi.Answer access = teams.exchange(code, redirectUri());
        if (!access.ok()) {
            LOG.warning("Slack refused the install's code: " + access.error());
            return "slack-failed";
        }
        try {
            tx.run(em -> teams.installed(em, begun[0], begun[1], access.body(), clock.instant()));
            return "slack-installed";
        } catch (ProblemException e) {
            return "slack-team-taken".equals(e.problem().type()) || e.problem().type().endsWith("/slack-team-taken") ? "slack-taken" : "slack-failed";
        } catch (RuntimeException e) {
            LOG.warning("keeping the installed Slack workspace failed: " + e.getClass().getSimpleName());
            return "slack-failed";
        }
    }

    /** The callback's own address, which Slack requires again when the code is exchanged. */
    public static String redirectUri(String baseUrl) {
        return baseUrl + "v1/slack/oauth/callback";
    }

    private String redirectUri() {
        return redirectUri(Requests.baseUrl(config, uri));
    }

    private Instant verified(byte[] body, String timestamp, String signature) {
        if (!requests.configured()) {
            throw new ProblemException(503, "slack-not-configured", "Slack not configured",
                    "this server has no CCP_SLACK_SIGNING_SECRET, so it takes no requests from Slack");
        }
        Instant now = clock.instant();
        tx.run(em -> requests.verify(em, timestamp, signature, body, now));
        return now;
    }

}
