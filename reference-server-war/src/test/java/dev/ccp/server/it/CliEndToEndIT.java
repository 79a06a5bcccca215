package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI against the real server: a person approves the login through the HTML form, then
 * status online and offline, a tampered pack, renewal after a plan change, and logout.
 */
class CliEndToEndIT extends ServerIT {

    private static final Pattern CODE = Pattern.compile("([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})");


    @TempDir
    Path home;

    @Test
    void loginStatusTamperRenewAndLogout() throws Exception {
        Http http = new Http(base);
        Cli ccp = new Cli(home, http.base());
        String login = Logins.unique("e2e");

        Cli.Result loggedIn = login(ccp, http, login);
        assertThat(loggedIn.exit()).as(loggedIn.err()).isZero();
        assertThat(loggedIn.out()).contains("Logged in as " + login).contains("plan free");

        Cli.Result online = ccp.run("status", "--json");
        assertThat(online.exit()).as(online.err()).isZero();
        JsonNode status = Json.lenient().readTree(online.out());
        assertThat(status.get("plan").asText()).isEqualTo("free");
        assertThat(status.get("state").asText()).isEqualTo("valid");
        assertThat(status.get("entitlements").get("zai_offload").asBoolean()).isFalse();
        String org = status.get("org").asText();

        Cli.Result offline = ccp.run("status", "--offline");
        assertThat(offline.exit()).as(offline.err()).isZero();
        assertThat(offline.out()).contains("free");

        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"pro\",\"reason\":\"e2e\"}");
        Cli.Result renewed = ccp.run("status", "--json");
        assertThat(renewed.exit()).as(renewed.err()).isZero();
        JsonNode pro = Json.lenient().readTree(renewed.out());
        assertThat(pro.get("plan").asText()).as("the pack was renewed after the plan changed").isEqualTo("pro");
        assertThat(pro.get("entitlements").get("zai_offload").asBoolean()).isTrue();
        assertThat(ccp.run("status", "--offline", "--json").out()).contains("\"pro\"");

        Cli.Result token = ccp.run("token");
        assertThat(token.exit()).isZero();
        assertThat(http.get("v1/me", token.out().strip()).statusCode()).isEqualTo(200);

        Path pack = home.resolve("license.jws");
        String original = Files.readString(pack);
        Files.writeString(pack, tamper(original));
        Cli.Result tampered = ccp.run("status", "--offline");
        assertThat(tampered.exit()).isEqualTo(4);
        assertThat(tampered.err().strip().lines()).hasSize(1);
        Files.writeString(pack, original);

        String refreshToken = Json.lenient().readTree(home.resolve("credentials.json").toFile()).get("refresh_token").asText();
        Cli.Result logout = ccp.run("logout");
        assertThat(logout.exit()).as(logout.err()).isZero();
        assertThat(home.resolve("credentials.json")).doesNotExist();
        assertThat(home.resolve("license.jws")).doesNotExist();
        JsonNode refused = Http.body(http.form("oauth/token", Http.fields("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", "ccp-cli")));
        assertThat(refused.get("error").asText()).isEqualTo("invalid_grant");

        Cli.Result afterLogout = ccp.run("status");
        assertThat(afterLogout.exit()).isEqualTo(3);
        assertThat(afterLogout.err()).contains("ccp login");
    }

    /** Asserts a login ended well, showing what ccp printed when it did not. */
    static void loggedIn(Cli.Result login) {
        assertThat(login.exit()).as("ccp login printed:\n" + login.out() + login.err()).isZero();
    }

    /**
     * Runs {@code ccp login --no-browser}, reads the code it prints and approves it as a person
     * would: on the page it names for an invite, else by typing the code.
     */
    static Cli.Result login(Cli ccp, Http http, String login, String... extra) throws Exception {
        return login(ccp, (userCode, invitePage) -> invitePage != null ? new Person(http, login).approveOnPage(invitePage)
                : new Person(http, login).approve(userCode), extra);
    }

    /** How a test approves a login in the browser: from the code, or from the page {@code ccp} named for an invite. */
    interface Approver {
        HttpResponse<String> approve(String userCode, String invitePage) throws Exception;
    }

    /** Runs {@code ccp login --no-browser} and approves the code it prints with {@code approver}. */
    static Cli.Result login(Cli ccp, Approver approver, String... extra) throws Exception {
        PipedInputStream pipe = new PipedInputStream(64 * 1024);
        PrintStream out = new PrintStream(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[2 + extra.length];
        args[0] = "login";
        args[1] = "--no-browser";
        System.arraycopy(extra, 0, args, 2, extra.length);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return ccp.run(out, new PrintStream(err, true, StandardCharsets.UTF_8), args);
            } finally {
                out.close();
            }
        });
        StringBuilder printed = new StringBuilder();
        BufferedReader lines = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
        String line;
        boolean approved = false;
        String userCode = null;
        String invitePage = null;
        while ((line = lines.readLine()) != null) {
            printed.append(line).append('\n');
            Matcher code = CODE.matcher(line);
            if (code.find()) {
                userCode = code.group(1);
            }
            if (line.startsWith("  With your invite: ")) {
                invitePage = line.substring("  With your invite: ".length()).strip();
            }
            if (!approved && line.startsWith("Waiting for approval")) {
                HttpResponse<String> answer = approver.approve(userCode, invitePage);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                approved = true;
            }
        }
        return new Cli.Result(exit.get(60, TimeUnit.SECONDS), printed.toString(), err.toString(StandardCharsets.UTF_8));
    }

    private static String tamper(String pack) {
        String[] parts = pack.strip().split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"pro\"", "\"team\"");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
