package dev.ccp.sdk.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.CcpException;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.wire.AddMemberRequest;
import dev.ccp.spi.wire.CheckoutRequest;
import dev.ccp.spi.wire.CheckoutResponse;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.DeviceAuthorizationResponse;
import dev.ccp.spi.wire.GitHubInstallationView;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.InviteRequest;
import dev.ccp.spi.wire.InviteView;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.JsonValues;
import dev.ccp.spi.wire.LicenseStatusResponse;
import dev.ccp.spi.wire.Me;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.OAuthError;
import dev.ccp.spi.wire.PolicyVersionView;
import dev.ccp.spi.wire.PromoteRequest;
import dev.ccp.spi.wire.RoleRequest;
import dev.ccp.spi.wire.RollupBatch;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunFinish;
import dev.ccp.spi.wire.RunProgress;
import dev.ccp.spi.wire.RunRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.RunnerRequest;
import dev.ccp.spi.wire.RunnerView;
import dev.ccp.spi.wire.SeatsView;
import dev.ccp.spi.wire.StepOutcome;
import dev.ccp.spi.wire.StepRequest;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.TokenResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The server's HTTP API, one method per endpoint. Knows nothing of files or sessions. */
public final class Api {

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    /** What the token endpoint said: tokens, or an RFC 6749 error for the caller to interpret. */
    public record TokenAnswer(TokenResponse tokens, OAuthError error) {
    }

    /**
     * What the ingest endpoint said: the result, or the failure with its status and {@code Retry-After}
     * for the caller to decide whether to send again.
     */
    public record IngestAnswer(IngestResult result, int status, CcpException failure, String retryAfter) {
    }

    private final Http http;
    private final String clientId;

    public Api(HttpClient client, URI server, Duration timeout, String clientId) {
        this.http = new Http(client, server, timeout);
        this.clientId = clientId;
    }

    public String server() {
        return http.server();
    }

    public DeviceAuthorizationResponse deviceAuthorization(String scope, String org) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("scope", scope);
        form.put("org", org);
        HttpResponse<String> response = http.postForm("/oauth/device_authorization", form);
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            OAuthError error = oauthError(response);
            if (error != null) {
                throw new CcpException(Kind.BAD_REQUEST, describe(error), null, null);
            }
        }
        return http.read(response, 200, DeviceAuthorizationResponse.class);
    }

    public TokenAnswer pollDeviceToken(String deviceCode) {
        return token(Map.of("grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", clientId));
    }

    public TokenAnswer refresh(String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
    }

    /** RFC 7009: the server answers 200 even for a token it does not know. */
    public void revoke(String refreshToken) {
        http.expect(http.postForm("/oauth/revoke",
                Map.of("token", refreshToken, "token_type_hint", "refresh_token", "client_id", clientId)), 200);
    }

    public String jwks() {
        HttpResponse<String> response = http.send(http.request("/.well-known/jwks.json")
                .header("Accept", "application/json").GET().build());
        http.expect(response, 200);
        return response.body();
    }

    /** The keys of the purposes a client verifies offline, license and policy packs, as the server publishes them. */
    public KeyRing packKeys() {
        try {
            return KeyRing.parseJwks(jwks()).filter(k -> PackKeys.verifiedOffline(k.kid()));
        } catch (IllegalArgumentException e) {
            throw new CcpException(Kind.SERVER_ERROR, "the server's key set does not parse: " + e.getMessage(), null, e);
        }
    }

    public String licensePack(String accessToken) {
        HttpResponse<String> response = http.send(bearer("/v1/license", accessToken)
                .setHeader("Accept", "application/jwt").GET().build());
        http.expect(response, 200);
        return response.body().strip();
    }

    public LicenseStatusResponse licenseStatus(String accessToken) {
        return http.read(http.send(bearer("/v1/license/status", accessToken).GET().build()), 200, LicenseStatusResponse.class);
    }

    public Me me(String accessToken) {
        return http.read(http.send(bearer("/v1/me", accessToken).GET().build()), 200, Me.class);
    }

    public List<Member> members(String accessToken, String org) {
        HttpResponse<String> response = http.send(bearer(membersPath(org), accessToken).GET().build());
        return http.read(response, 200, Json.lenient().getTypeFactory().constructCollectionType(List.class, Member.class));
    }

    public Member addMember(String accessToken, String org, AddMemberRequest request) {
        return http.read(http.send(postJson(membersPath(org), accessToken, request)), 201, Member.class);
    }

    public CheckoutResponse checkout(String accessToken, CheckoutRequest request) {
        return http.read(http.send(postJson("/v1/billing/checkout", accessToken, request)), 200, CheckoutResponse.class);
    }

    private HttpRequest postJson(String path, String accessToken, Object request) {
        return json(path, accessToken).POST(body(request)).build();
    }

    private HttpRequest.Builder json(String path, String accessToken) {
        return bearer(path, accessToken).header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(Object request) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(Json.lenient().writeValueAsBytes(request));
        } catch (JacksonException e) {
            throw new IllegalStateException("request does not serialize", e);
        }
    }

    public void removeMember(String accessToken, String org, String login) {
        http.expect(http.send(bearer(memberPath(org, login), accessToken).DELETE().build()), 204);
    }

    public Member changeRole(String accessToken, String org, String login, String role) {
        return http.read(http.send(json(memberPath(org, login) + "/role", accessToken).PUT(body(new RoleRequest(role))).build()), 200, Member.class);
    }

    public Member assignSeat(String accessToken, String org, String login) {
        return http.read(http.send(bearer(memberPath(org, login) + "/seat", accessToken).PUT(HttpRequest.BodyPublishers.noBody()).build()),
                200, Member.class);
    }

    public Member unassignSeat(String accessToken, String org, String login) {
        return http.read(http.send(bearer(memberPath(org, login) + "/seat", accessToken).DELETE().build()), 200, Member.class);
    }

    public InviteView createInvite(String accessToken, String org, InviteRequest request) {
        return http.read(http.send(postJson(invitesPath(org), accessToken, request)), 201, InviteView.class);
    }

    public List<InviteView> invites(String accessToken, String org) {
        HttpResponse<String> response = http.send(bearer(invitesPath(org), accessToken).GET().build());
        return http.read(response, 200, Json.lenient().getTypeFactory().constructCollectionType(List.class, InviteView.class));
    }

    public void revokeInvite(String accessToken, String org, String id) {
        http.expect(http.send(bearer(invitesPath(org) + "/" + Http.segment(id), accessToken).DELETE().build()), 204);
    }

    public InviteView resendInvite(String accessToken, String org, String id) {
        return http.read(http.send(bearer(invitesPath(org) + "/" + Http.segment(id) + "/resend", accessToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 200, InviteView.class);
    }

    /** A page of the org's audit log: the entries as JSON objects, and the next page's {@code after}. */
    public Map<String, Object> auditPage(String accessToken, String org, String query) {
        HttpResponse<String> response = http.send(bearer(auditPath(org) + "?" + query, accessToken).GET().build());
        http.expect(response, 200);
        try {
            return JsonValues.readObject(response.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CcpException(Kind.SERVER_ERROR, "the audit page is not JSON: " + e.getMessage(), null, e);
        }
    }

    /** The org's audit log as a file: {@code jsonl} or {@code csv}. */
    public String auditExport(String accessToken, String org, String query) {
        HttpResponse<String> response = http.send(bearer(auditPath(org) + "?" + query, accessToken).header("Accept", "*/*").GET().build());
        http.expect(response, 200);
        return response.body();
    }

    public SeatsView seats(String accessToken, String org) {
        return http.read(http.send(bearer("/v1/orgs/" + Http.segment(org) + "/seats", accessToken).GET().build()), 200, SeatsView.class);
    }

    public List<GitHubInstallationView> gitHubInstallations(String accessToken, String org) {
        HttpResponse<String> response = http.send(bearer(gitHubInstallationsPath(org), accessToken).GET().build());
        return http.read(response, 200, Json.lenient().getTypeFactory().constructCollectionType(List.class, GitHubInstallationView.class));
    }

    public GitHubInstallationView connectGitHubInstallation(String accessToken, String org, long id) {
        return http.read(http.send(bearer(gitHubInstallationsPath(org) + "/" + id, accessToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 200, GitHubInstallationView.class);
    }

    public void disconnectGitHubInstallation(String accessToken, String org, long id) {
        http.expect(http.send(bearer(gitHubInstallationsPath(org) + "/" + id, accessToken).DELETE().build()), 204);
    }

    /**
     * {@code POST /v1/ingest/rollups}. A 401 is thrown, so that the caller renews the token and repeats;
     * every other failure is answered, for the caller's retry policy.
     */
    public IngestAnswer ingestRollups(String accessToken, String idempotencyKey, RollupBatch batch) {
        byte[] body;
        try {
            body = Json.lenient().writeValueAsBytes(batch);
        } catch (JacksonException e) {
            throw new IllegalStateException("batch does not serialize", e);
        }
        HttpResponse<String> response = http.send(bearer("/v1/ingest/rollups", accessToken)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (response.statusCode() == 200) {
            return new IngestAnswer(http.read(response, 200, IngestResult.class), 200, null, null);
        }
        CcpException failure = http.failure(response);
        if (failure.kind() == Kind.UNAUTHORIZED) {
            throw failure;
        }
        // A server that is not serving yet is retried like one that did not answer, whatever status it gave.
        int status = failure.kind() == Kind.SERVER_UNAVAILABLE ? Backoff.NO_ANSWER : response.statusCode();
        return new IngestAnswer(null, status, failure, response.headers().firstValue("Retry-After").orElse(null));
    }

    /** A policy answer: the pack on 200, null on 304 (the one named by the etag is still current). */
    public record PolicyAnswer(String pack) {
    }

    /**
     * {@code GET /v1/policy/{channel}}, naming the pack held (null: none) and waiting up to
     * {@code waitSeconds} for a newer one.
     */
    public PolicyAnswer policy(String accessToken, String channel, String etag, int waitSeconds) {
        HttpRequest.Builder request = bearer("/v1/policy/" + Http.segment(channel), accessToken)
                .setHeader("Accept", "application/jwt, application/problem+json")
                .timeout(http.timeout().plusSeconds(waitSeconds));
        if (etag != null) {
            request.header("If-None-Match", "\"" + etag + "\"");
        }
        if (waitSeconds > 0) {
            request.header("Prefer", "wait=" + waitSeconds);
        }
        HttpResponse<String> response = http.send(request.GET().build());
        if (response.statusCode() == 304) {
            return new PolicyAnswer(null);
        }
        http.expect(response, 200);
        return new PolicyAnswer(response.body().strip());
    }

    /** Publishes a document, given as JSON text, so that the server judges exactly what the admin wrote. */
    public PolicyVersionView publishPolicy(String accessToken, String channel, String document) {
        HttpResponse<String> response = http.send(bearer("/v1/admin/policies/" + Http.segment(channel), accessToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(document)).build());
        return http.read(response, response.statusCode() == 200 ? 200 : 201, PolicyVersionView.class);
    }

    public PolicyVersionView promotePolicy(String accessToken, long devVersion) {
        HttpResponse<String> response = http.send(postJson("/v1/admin/policies/prod/promote", accessToken, new PromoteRequest(devVersion)));
        return http.read(response, response.statusCode() == 200 ? 200 : 201, PolicyVersionView.class);
    }

    public List<PolicyVersionView> policyHistory(String accessToken, String channel) {
        HttpResponse<String> response = http.send(bearer("/v1/admin/policies/" + Http.segment(channel), accessToken).GET().build());
        return http.read(response, 200, Json.lenient().getTypeFactory().constructCollectionType(List.class, PolicyVersionView.class));
    }

    public RunView startRun(String accessToken, RunRequest request) {
        return http.read(http.send(postJson("/v1/runs", accessToken, request)), 201, RunView.class);
    }

    /** The org's runs, newest first; {@code state} and {@code limit} may be null. */
    public List<RunView> runs(String accessToken, String state, Integer limit) {
        StringBuilder query = new StringBuilder();
        if (state != null) {
            query.append("state=").append(Http.encode(state));
        }
        if (limit != null) {
            query.append(query.length() == 0 ? "" : "&").append("limit=").append(limit);
        }
        HttpResponse<String> response = http.send(bearer("/v1/runs" + (query.length() == 0 ? "" : "?" + query), accessToken).GET().build());
        return http.read(response, 200, Json.lenient().getTypeFactory().constructCollectionType(List.class, RunView.class));
    }

    public RunView run(String accessToken, String id) {
        return http.read(http.send(bearer(runPath(id), accessToken).GET().build()), 200, RunView.class);
    }

    public StepView proposeStep(String accessToken, String id, StepRequest request) {
        return http.read(http.send(postJson(runPath(id) + "/steps", accessToken, request)), 201, StepView.class);
    }

    /** A 409 (decided already, or not waiting) is thrown as {@link Kind#CONFLICT}. */
    public StepView decide(String accessToken, String id, int step, DecisionRequest request) {
        return http.read(http.send(postJson(runPath(id) + "/steps/" + step + "/decision", accessToken, request)), 200, StepView.class);
    }

    public void stepOutcome(String accessToken, String id, int step, StepOutcome outcome) {
        succeeded(http.send(postJson(runPath(id) + "/steps/" + step + "/outcome", accessToken, outcome)));
    }

    public void runProgress(String accessToken, String id, RunProgress progress) {
        succeeded(http.send(postJson(runPath(id) + "/progress", accessToken, progress)));
    }

    public void finishRun(String accessToken, String id, RunFinish finish) {
        succeeded(http.send(postJson(runPath(id) + "/finish", accessToken, finish)));
    }

    /** The events after {@code after}; with {@code waitSeconds} above 0 the server holds the request until there is one. */
    public RunEvents runEvents(String accessToken, String id, long after, int waitSeconds) {
        HttpRequest.Builder request = bearer(runPath(id) + "/events?after=" + after, accessToken)
                .timeout(http.timeout().plusSeconds(waitSeconds));
        if (waitSeconds > 0) {
            request.header("Prefer", "wait=" + waitSeconds);
        }
        return http.read(http.send(request.GET().build()), 200, RunEvents.class);
    }

    public RunnerView registerRunner(String accessToken, RunnerRequest request) {
        return http.read(http.send(postJson("/v1/runners", accessToken, request)), 201, RunnerView.class);
    }

    public List<RunnerView> runners(String accessToken) {
        HttpResponse<String> response = http.send(bearer("/v1/runners", accessToken).GET().build());
        return http.read(response, 200, Json.lenient().getTypeFactory().constructCollectionType(List.class, RunnerView.class));
    }

    public void revokeRunner(String accessToken, String id) {
        succeeded(http.send(bearer("/v1/runners/" + Http.segment(id), accessToken).DELETE().build()));
    }

    /**
     * Claims the oldest queued run of the runner's workspace, with the runner's token; null when none
     * was queued within {@code waitSeconds}.
     */
    public RunView claimRun(String runnerToken, int waitSeconds) {
        HttpRequest.Builder request = bearer("/v1/runners/claim", runnerToken).timeout(http.timeout().plusSeconds(waitSeconds));
        if (waitSeconds > 0) {
            request.header("Prefer", "wait=" + waitSeconds);
        }
        HttpResponse<String> response = http.send(request.POST(HttpRequest.BodyPublishers.noBody()).build());
        return response.statusCode() == 204 ? null : http.read(response, 200, RunView.class);
    }

    public void runnerHeartbeat(String runnerToken) {
        succeeded(http.send(bearer("/v1/runners/heartbeat", runnerToken).POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    /** These calls answer 200 or 204 as the server likes; what they say back is not needed. */
    private void succeeded(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw http.failure(response);
        }
    }

    private static String runPath(String id) {
        return "/v1/runs/" + Http.segment(id);
    }

    private static String membersPath(String org) {
        return "/v1/orgs/" + Http.segment(org) + "/members";
    }

    private static String auditPath(String org) {
        return "/v1/orgs/" + Http.segment(org) + "/audit";
    }

    private static String invitesPath(String org) {
        return "/v1/orgs/" + Http.segment(org) + "/invites";
    }

    private static String gitHubInstallationsPath(String org) {
        return "/v1/orgs/" + Http.segment(org) + "/github/installations";
    }

    private static String memberPath(String org, String login) {
        return membersPath(org) + "/" + Http.segment(login);
    }

    private HttpRequest.Builder bearer(String path, String accessToken) {
        return http.request(path).header("Authorization", "Bearer " + accessToken).header("Accept", "application/json");
    }

    private TokenAnswer token(Map<String, String> form) {
        HttpResponse<String> response = http.postForm("/oauth/token", form);
        if (response.statusCode() == 200) {
            TokenResponse tokens = http.read(response, 200, TokenResponse.class);
            if (tokens.accessToken() == null || tokens.expiresIn() <= 0) {
                throw new CcpException(Kind.SERVER_ERROR, "the token answer has no access token or lifetime");
            }
            return new TokenAnswer(tokens, null);
        }
        OAuthError error = response.statusCode() < 500 ? oauthError(response) : null;
        if (error == null) {
            throw http.failure(response);
        }
        return new TokenAnswer(null, error);
    }

    private static OAuthError oauthError(HttpResponse<String> response) {
        try {
            OAuthError error = Json.lenient().readValue(response.body(), OAuthError.class);
            return error.error() == null ? null : error;
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    static String describe(OAuthError error) {
        return error.errorDescription() != null ? error.errorDescription() + " (" + error.error() + ")" : error.error();
    }
}
