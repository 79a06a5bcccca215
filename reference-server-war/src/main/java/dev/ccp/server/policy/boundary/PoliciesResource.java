package dev.ccp.server.policy.boundary;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.policy.control.PolicyWatch;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.PolicyVersionView;
import dev.ccp.spi.wire.PromoteRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * {@code /v1/admin/policies}: owners and admins of the caller's org publish documents to a channel,
 * promote a {@code dev} version to {@code prod}, and read the history.
 */
@ApplicationScoped
@Bearer
@Path("v1/admin/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PoliciesResource {

    private static final String WHAT = "its policies";

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Policies policies;
    @Inject
    PolicyWatch watch;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @POST
    @Path("{channel}")
    @Consumes(MediaType.WILDCARD)
    public Response publish(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("channel") String channel,
            String body) {
        Policies.channel(channel);
        JsonNode document = parse(body);
        String issuer = Requests.baseUrl(config, uri);
        return answer(admin(authorization, (em, caller, org) ->
                policies.publish(em, org, caller.userId(), channel, document, issuer, clock.instant())));
    }

    @POST
    @Path("prod/promote")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response promote(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, PromoteRequest request) {
        if (request == null || request.version() == null || request.version() < 1) {
            throw ProblemException.badRequest("send {\"version\": N} naming the dev version to promote");
        }
        String issuer = Requests.baseUrl(config, uri);
        return answer(admin(authorization, (em, caller, org) ->
                policies.promote(em, org, caller.userId(), request.version(), issuer, clock.instant())));
    }

    @GET
    @Path("{channel}")
    public List<PolicyVersionView> history(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("channel") String channel) {
        return admin(authorization, (em, caller, org) -> policies.history(em, org.id(), channel, 100));
    }

    @GET
    @Path("{channel}/versions/{version}")
    public Response document(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("channel") String channel,
            @PathParam("version") long version) {
        String document = admin(authorization, (em, caller, org) -> policies.version(em, org.id(), channel, version)
                .orElseThrow(() -> ProblemException.notFound(channel + " has no version " + version)).document());
        return Response.ok(document, MediaType.APPLICATION_JSON).build();
    }

    private interface AdminWork<T> {
        T apply(jakarta.persistence.EntityManager em, Principal caller, Org org);
    }

    private <T> T admin(String authorization, AdminWork<T> work) {
        return tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            return work.apply(em, caller, members.tokenOrgManagedBy(em, caller, WHAT));
        });
    }

    /** Answers after the commit, and only then wakes the clients waiting on this node. */
    private Response answer(Policies.Published published) {
        if (!published.created()) {
            return Response.ok(published.view()).build();
        }
        var head = published.head();
        watch.published(new PolicyWatch.Head(head.id(), head.version(), head.etag(), head.pack()));
        PolicyVersionView view = published.view();
        return Response.created(URI.create("v1/admin/policies/" + view.channel() + "/versions/" + view.version()))
                .entity(view).build();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("send the policy document as JSON, at least {\"schema\":\"ccp.policy/v1\"}");
        }
        try {
            // One reading of a document only: a key given twice is refused, as is anything after the object.
            return Json.lenient().reader()
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
        } catch (JacksonException e) {
            throw ProblemException.badRequest("the body is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
    }
}
