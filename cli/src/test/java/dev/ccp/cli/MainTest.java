package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.sdk.CcpException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest extends CliFixture {

    @Test
    void versionComesFromTheBuild() {
        Run run = ccp("--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).matches("ccp \\d+\\.\\d+\\.\\d+.*\\R");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Run run = ccp("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("login", "status", "logout", "token", "org", "export", "db", "completion", "Exit codes:",
                "  8  the server's license keys changed since they were pinned",
                "     or an input file is invalid (ccp db import): nothing was changed");
    }

    @Test
    void unknownOptionIsOneUsageLine() {
        Run run = ccp("status", "--frobnicate");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("ccp: Unknown option: '--frobnicate' — see `ccp status --help`");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(ccp("frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void invalidServerUrlIsAUsageError() {
        Run run = ccp("status", "--server", "ftp://example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                "ccp: invalid server URL 'ftp://example.com' — pass an http(s) URL such as https://ccp.example.com");
    }

    @Test
    void globalServerOptionWorksBeforeTheSubcommand() {
        Map<String, String> env = env();
        env.remove("CCP_SERVER");

        Run run = ccp(env, "--server", server.uri().toString(), "login", "--no-browser");

        assertThat(run.exit()).isZero();
    }

    @Test
    void completionPrintsABashScript() {
        Run run = ccp("completion");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("complete -F").contains("login").contains("status");
    }

    @Test
    void everyKindHasAnExitCodeAndAnAdvice() {
        for (CcpException.Kind kind : CcpException.Kind.values()) {
            assertThat(ExitCodes.of(kind)).as(kind.name()).isBetween(1, 10);
            assertThat(Failures.line(new CcpException(kind, "it broke"))).startsWith("ccp: it broke — ");
        }
    }

    @Test
    void unexpectedFailureIsOneLineWithoutStackTrace() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Context context = new Context(System.out, new java.io.PrintStream(err, true), Map.of(), clock, sleeper, uri -> false);

        int code = Main.failure(context, new IllegalStateException("boom"));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                "ccp: unexpected error: java.lang.IllegalStateException: boom — run again with CCP_DEBUG=1 and report it");
    }

    @Test
    void browserIsOnlyOpenedWhereThereIsADisplay() {
        URI uri = URI.create("https://ccp.example/device");

        assertThat(Browser.command(uri, Map.of(), "Linux")).isEmpty();
        assertThat(Browser.command(uri, Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux")).containsExactly("xdg-open", uri.toString());
        assertThat(Browser.command(uri, Map.of(), "Mac OS X")).containsExactly("open", uri.toString());
        assertThat(Browser.command(uri, Map.of(), "Windows 11"))
                .containsExactly("rundll32", "url.dll,FileProtocolHandler", uri.toString());
    }

    @Test
    void browserIsNeverGivenAnythingButAnHttpUrl() {
        Map<String, String> display = Map.of("DISPLAY", ":0");

        for (String link : new String[] {"file:///etc/passwd", "file://evil.example/share/run.exe", "ms-settings:privacy",
                "javascript:alert(1)", "ssh://ccp.example/device", "/device"}) {
            URI uri = URI.create(link);
            assertThat(Browser.command(uri, display, "Linux")).as(link).isEmpty();
            assertThat(Browser.command(uri, display, "Mac OS X")).as(link).isEmpty();
            assertThat(Browser.command(uri, display, "Windows 11")).as(link).isEmpty();
        }
    }

    @Test
    void homeFollowsCcpHomeThenXdgThenHome() {
        Context context = new Context(System.out, System.err, Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h"),
                clock, sleeper, uri -> false);
        assertThat(context.home()).isEqualTo(java.nio.file.Path.of("/x", "ccp"));
        Context plain = new Context(System.out, System.err, Map.of("HOME", "/h"), clock, sleeper, uri -> false);
        assertThat(plain.home()).isEqualTo(java.nio.file.Path.of("/h", ".config", "ccp"));
    }
}
