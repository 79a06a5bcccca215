package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.examples.OffloadTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example tool that embeds the SDK, run against the real server. */
class ExampleToolIT extends ServerIT {

    @TempDir
    Path home;

    @Test
    void exampleToolOffloadsOnlyOnAPlanThatIncludesItAndWhenTheOrgsPolicyAllows() throws Exception {
        Http http = new Http(base);
        String login = Logins.unique("tool");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // The vendor ships its license keys with the tool.
        String vendorKeys = http.get(".well-known/jwks.json", null).body();
        int exit = OffloadTool.run(URI.create(http.base()), home, vendorKeys,
                code -> assertThat(new Person(http, login).approve(code.userCode()).statusCode()).isEqualTo(200),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("license: VALID, plan free").contains("offload to Z.ai: off");

        String org = Http.body(http.get("v1/me", Logins.accessToken(http, login, null))).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"pro\"}");
        // A fresh home logs in again and gets a pack for the new plan.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        int second = OffloadTool.run(URI.create(http.base()), home.resolve("second"), vendorKeys,
                code -> new Person(http, login).approve(code.userCode()),
                new PrintStream(again, true, StandardCharsets.UTF_8));
        assertThat(second).isZero();
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("plan pro").contains("policy: prod, none in force")
                .contains("offload to Z.ai: on");

        // The org's owner publishes a prod policy that keeps requests off Z.ai: the tool follows it.
        String owner = Logins.accessToken(http, login, null);
        assertThat(http.json("POST", "v1/admin/policies/prod", owner,
                "{\"schema\":\"ccp.policy/v1\",\"offload\":{\"allowed\":false}}").statusCode()).isEqualTo(201);
        ByteArrayOutputStream third = new ByteArrayOutputStream();
        assertThat(OffloadTool.run(URI.create(http.base()), home.resolve("second"), vendorKeys, code -> { },
                new PrintStream(third, true, StandardCharsets.UTF_8))).isZero();
        assertThat(third.toString(StandardCharsets.UTF_8)).contains("policy: prod version 1 (CURRENT)")
                .contains("offload to Z.ai: off (the org's policy does not allow it for glm-4.6)");
        assertThat(home.resolve("pins.json")).as("built-in keys are trusted; nothing is pinned").doesNotExist();
    }
}
