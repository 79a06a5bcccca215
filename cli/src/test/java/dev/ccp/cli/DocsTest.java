package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man page and completion script a package ships are made from the command model. */
class DocsTest {

    @TempDir
    Path dir;

    @Test
    void theManPageDocumentsEveryCommandItsOptionsAndTheExitCodes() throws Exception {
        Docs.main(new String[] {dir.toString(), "2026-12-01T00:00:00Z"});
        String page = Files.readString(dir.resolve("ccp.1"));

        assertThat(page).startsWith(".TH CCP 1 \"2026-12-01\" \"ccp ");
        assertThat(page).contains(".SH NAME\nccp \\- log in to a CCP server");
        for (String command : new String[] {"ccp login", "ccp status", "ccp policy publish", "ccp db import", "ccp export rollups",
                "ccp run", "ccp runs show", "ccp runs approve", "ccp runner register", "ccp runner start"}) {
            assertThat(page).as(command).contains(".SS \"" + command + "\"");
        }
        assertThat(page).contains("\\fB\\-\\-server\\fR=\\fIURL\\fR").contains(".SH \"EXIT STATUS\"").contains(".B 10\n").contains(".B 13\n");
        assertThat(page).contains(".B CCP_HOME");
        assertThat(page.lines()).noneMatch(line -> line.startsWith(".") && line.length() > 1
                && !line.matches("\\.(TH|SH|SS|TP|B|br)( .*)?"));
    }

    @Test
    void theCompletionScriptIsSourcedNotRunSoItHasNoInterpreterLine() throws Exception {
        Docs.main(new String[] {dir.toString()});
        String script = Files.readString(dir.resolve("ccp.bash"));

        assertThat(script).doesNotStartWith("#!").contains("complete -F").contains("policy");
    }

    @Test
    void theChangelogIsOneNativeEntryByTheControlFilesMaintainer() {
        String entry = Docs.changelog("1.2.0-SNAPSHOT", "Package: ccp\nMaintainer: A B <ab@example.com>\n",
                java.time.Instant.parse("2026-12-01T09:05:00Z"));

        assertThat(entry).isEqualTo("ccp (1.2.0~SNAPSHOT) unstable; urgency=medium\n\n  * Release 1.2.0-SNAPSHOT.\n\n"
                + " -- A B <ab@example.com>  Tue, 01 Dec 2026 09:05:00 +0000\n");
    }

    @Test
    void gzipReadsBackAndSaysBestCompressionInItsHeader() throws Exception {
        String text = "ccp ".repeat(1000);
        byte[] gz = Docs.gzip(text);

        assertThat(gz[8]).as("XFL: best compression").isEqualTo((byte) 2);
        assertThat(Docs.gzip(text)).as("the same text, the same bytes").isEqualTo(gz);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void textThatTroffWouldReadAsARequestIsEscaped() {
        assertThat(ManPage.escape(".hidden")).isEqualTo("\\&.hidden");
        assertThat(ManPage.escape("a-b \\ c")).isEqualTo("a\\-b \\e c");
    }
}
