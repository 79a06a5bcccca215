package dev.ccp.server.github.boundary;

import dev.ccp.server.github.control.GitHubWebhooks;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /v1/github/webhook}: GitHub's deliveries to the app, verified before a byte of them is
 * read, taken once per delivery on any node, and answered 202 as soon as the review is queued.
 */
@ApplicationScoped
@Path("v1/github/webhook")
@Produces(MediaType.APPLICATION_JSON)
public class GitHubWebhookResource {

    @Inject
    Tx tx;
    @Inject
    GitHubWebhooks webhooks;
    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response webhook(byte[] body, @HeaderParam("X-Hub-Signature-256") String signature, @HeaderParam("X-GitHub-Event") String event,
            @HeaderParam("X-GitHub-Delivery") String delivery) {
        if (!webhooks.configured()) {
            throw new ProblemException(503, "github-not-configured", "GitHub App not configured",
                    "this server has no CCP_GITHUB_WEBHOOK_SECRET, so it takes no deliveries from GitHub");
        }
        webhooks.verify(signature, body);
        Instant now = clock.instant();
        String outcome = tx.call(em -> webhooks.receive(em, event, delivery, body, now));
        return Response.accepted(Map.of("delivery", delivery, "outcome", outcome)).build();
    }
}
