package dev.ccp.server.identity.boundary;

import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.control.UserCodes;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.spi.wire.DeviceAuthorizationResponse;
import dev.ccp.spi.wire.OAuthError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * The OAuth endpoints: device authorization (RFC 8628), token (device code and refresh grants) and
 * revocation (RFC 7009). Errors take the RFC 6749 §5.2 shape, not problem+json, because OAuth
 * clients expect it.
 */
@ApplicationScoped
@Path("oauth")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ORG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Inject
    Tx tx;
    @Inject
    DeviceFlow deviceFlow;
    @Inject
    Tokens tokens;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @POST
    @Path("device_authorization")
    public Response deviceAuthorization(@Context UriInfo uri, @FormParam("client_id") String clientId, @FormParam("scope") String scope,
            @FormParam("org") String org) {
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            return error(401, OAuthError.INVALID_CLIENT, "client_id is missing or not of the form [A-Za-z0-9._-]{1,64}");
        }
        if (scope != null && scope.length() > 200) {
            return error(400, "invalid_scope", "scope is longer than 200 characters");
        }
        if (org != null && !org.isBlank() && !ORG.matcher(org).matches()) {
            return error(400, OAuthError.INVALID_REQUEST, "org must be an org name such as 'acme'");
        }
        String requestedOrg = org == null || org.isBlank() ? null : org;
        DeviceFlow.Started started = tx.call(em -> deviceFlow.start(em, clientId, scope, requestedOrg, clock.instant()));
        String verification = Requests.baseUrl(config, uri) + "device";
        String display = UserCodes.display(started.grant().userCode());
        DeviceAuthorizationResponse body = new DeviceAuthorizationResponse(started.deviceCode(), display, verification,
                verification + "?user_code=" + URLEncoder.encode(display, StandardCharsets.UTF_8),
                config.deviceCodeTtl().toSeconds(), started.grant().intervalSeconds());
        return noStore(Response.ok(body));
    }

    @POST
    @Path("token")
    public Response token(@Context UriInfo uri, @FormParam("grant_type") String grantType, @FormParam("device_code") String deviceCode,
            @FormParam("refresh_token") String refreshToken, @FormParam("client_id") String clientId) {
        if (grantType == null) {
            return error(400, OAuthError.INVALID_REQUEST, "grant_type is missing");
        }
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            return error(401, OAuthError.INVALID_CLIENT, "client_id is missing or malformed");
        }
        String issuer = Requests.baseUrl(config, uri);
        return switch (grantType) {
            case DEVICE_GRANT -> {
                if (deviceCode == null) {
                    yield error(400, OAuthError.INVALID_REQUEST, "device_code is missing");
                }
                yield tx.call(em -> {
                    DeviceFlow.Poll poll = deviceFlow.poll(em, deviceCode, clientId, clock.instant());
                    if (poll.error() != null) {
                        return error(400, poll.error().error(), poll.error().errorDescription());
                    }
                    return noStore(Response.ok(tokens.issue(em, poll.approved().userId(), poll.approved().orgId(),
                            clientId, issuer, clock.instant())));
                });
            }
            case "refresh_token" -> {
                if (refreshToken == null) {
                    yield error(400, OAuthError.INVALID_REQUEST, "refresh_token is missing");
                }
                Tokens.Refresh outcome = tx.call(em -> tokens.refresh(em, refreshToken, clientId, issuer, clock.instant()));
                yield outcome.error() != null
                        ? error(400, outcome.error().error(), outcome.error().errorDescription())
                        : noStore(Response.ok(outcome.tokens()));
            }
            default -> error(400, OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type must be " + DEVICE_GRANT + " or refresh_token");
        };
    }

    @POST
    @Path("revoke")
    public Response revoke(@FormParam("token") String token, @FormParam("token_type_hint") String hint,
            @FormParam("client_id") String clientId) {
        if (token == null) {
            return error(400, OAuthError.INVALID_REQUEST, "token is missing");
        }
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            return error(401, OAuthError.INVALID_CLIENT, "client_id is missing or malformed");
        }
        tx.run(em -> tokens.revoke(em, token, clientId, clock.instant()));
        return Response.ok().build();
    }

    static Response error(int status, String code, String description) {
        return noStore(Response.status(status).entity(new OAuthError(code, description)));
    }

    private static Response noStore(Response.ResponseBuilder builder) {
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        return builder.type(MediaType.APPLICATION_JSON).cacheControl(cache).header("Pragma", "no-cache").build();
    }
}
