package dev.ccp.server.github.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ccp.server.github.control.Secrets.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The secret detectors against two corpora: every line of {@code true-positives.txt} must be
 * found, no line of {@code false-positives.txt} may be. A line may start with {@code @file:path}
 * to be read as a line of that file.
 */
class SecretsTest {

    static final String DEFAULT_PATH = "config/settings.txt";

    record Sample(String path, String line) {

        @Override
        public String toString() {
            return path + ": " + line;
        }
    }

    static List<Sample> truePositives() throws IOException {
        return corpus("true-positives.txt");
    }

    static List<Sample> falsePositives() throws IOException {
        return corpus("false-positives.txt");
    }

    @ParameterizedTest
    @MethodSource("truePositives")
    void everyTruePositiveIsFound(Sample sample) {
        Optional<Secret> secret = Secrets.find(sample.path(), sample.line());

        assertThat(secret).as(sample.line()).isPresent();
    }

    @ParameterizedTest
    @MethodSource("falsePositives")
    void noFalsePositiveIsFound(Sample sample) {
        assertThat(Secrets.find(sample.path(), sample.line())).as(sample.line()).isEmpty();
    }

    @Test
    void theCorporaAreLargeEnoughAndCoverEveryDetector() throws IOException {
        Set<String> kinds = truePositives().stream()
                .map(s -> Secrets.find(s.path(), s.line()).map(Secret::kind).orElse("none"))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(truePositives()).hasSizeGreaterThanOrEqualTo(25);
        assertThat(falsePositives()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(kinds).containsExactly("AWS access key id", "AWS secret access key", "GitHub token", "Google API key",
                "Slack token", "Slack webhook URL", "Stripe live key", "password or token", "private key");
    }

    @ParameterizedTest
    @MethodSource("truePositives")
    void whatIsShownIsNoMoreThanTheStartOfTheValue(Sample sample) {
        Secret secret = Secrets.find(sample.path(), sample.line()).orElseThrow();

        assertThat(secret.masked()).endsWith(secret.kind().equals("private key") ? "-----" : "…");
        String shown = secret.masked().replace("…", "");
        for (String run : sample.line().split("[^A-Za-z0-9_+/=-]+")) {
            if (run.length() >= 16 && !run.startsWith("BEGIN")) {
                assertThat(shown).as(sample.line()).doesNotContain(run.substring(run.length() - 12));
            }
        }
    }

    @Test
    void theWholeTruePositiveCorpusAsAPatchGivesOneFindingPerLine() throws IOException {
        List<Sample> samples = truePositives().stream().filter(s -> s.path().equals(DEFAULT_PATH)).toList();
        StringBuilder patch = new StringBuilder("@@ -0,0 +1," + samples.size() + " @@");
        samples.forEach(s -> patch.append("\n+").append(s.line()));

        List<Finding> findings = ReviewRules.review(ReviewRulesTest.policy(true, "error"),
                List.of(new PullFile(DEFAULT_PATH, "added", samples.size(), 0, samples.size(), patch.toString(), null)));

        assertThat(findings).hasSize(samples.size()).allSatisfy(f -> assertThat(f.rule()).isEqualTo("secret"));
        assertThat(findings).extracting(Finding::line).doesNotHaveDuplicates();
    }

    @Test
    void theTruePositiveCorpusAsRemovedOrContextLinesGivesNothing() throws IOException {
        List<Sample> samples = truePositives().stream().filter(s -> s.path().equals(DEFAULT_PATH)).toList();
        StringBuilder patch = new StringBuilder("@@ -1," + 2 * samples.size() + " +1," + samples.size() + " @@");
        samples.forEach(s -> patch.append("\n-").append(s.line()).append("\n ").append(s.line()));

        List<Finding> findings = ReviewRules.review(ReviewRulesTest.policy(true, "error"),
                List.of(new PullFile(DEFAULT_PATH, "modified", 0, samples.size(), samples.size(), patch.toString(), null)));

        assertThat(findings).isEmpty();
    }

    @Test
    void theFalsePositiveCorpusAsAPatchGivesNothing() throws IOException {
        List<PullFile> files = new ArrayList<>();
        for (Sample sample : falsePositives()) {
            files.add(new PullFile(sample.path(), "modified", 1, 0, 1, "@@ -0,0 +1 @@\n+" + sample.line(), null));
        }

        assertThat(ReviewRules.review(ReviewRulesTest.policy(true, "error"), files)).isEmpty();
    }

    @Test
    void aLineHoldsOneFindingAtMost() {
        String line = "token = \"ghp_EXAMPLE0123456789abcdefghijEXAMPLE01\" # and AKIA0123EXAMPLE45678 and xoxb-0123456789-0123456789-abcdefEXAMPLE";

        List<Finding> findings = ReviewRules.review(ReviewRulesTest.policy(true, "error"),
                List.of(new PullFile("app.py", "added", 1, 0, 1, "@@ -0,0 +1 @@\n+" + line, null)));

        assertThat(findings).hasSize(1);
    }

    @Test
    void longLinesWithoutSeparatorsAreReadQuickly() {
        String hex = "0123456789abcdef".repeat(20_000);
        String letters = "passwordtoken".repeat(20_000);
        String minified = "a.b=c;".repeat(50_000);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(Secrets.find("dist/app.min.js", hex)).isEmpty();
            assertThat(Secrets.find("dist/app.min.js", letters)).isEmpty();
            assertThat(Secrets.find("dist/app.min.js", minified)).isEmpty();
        });
    }

    @Test
    void entropyIsBitsPerCharacter() {
        assertThat(Secrets.entropy("aaaa")).isZero();
        assertThat(Secrets.entropy("abab")).isEqualTo(1.0);
        assertThat(Secrets.entropy("0123456789abcdef")).isEqualTo(4.0);
    }

    @Test
    void namesAreReadWordByWord() {
        assertThat(Secrets.namesSecret("DB_PASSWORD")).isTrue();
        assertThat(Secrets.namesSecret("githubToken")).isTrue();
        assertThat(Secrets.namesSecret("x-api-key")).isTrue();
        assertThat(Secrets.namesSecret("spring.datasource.password")).isTrue();
        assertThat(Secrets.namesSecret("tokenizer")).isFalse();
        assertThat(Secrets.namesSecret("token_url")).isFalse();
        assertThat(Secrets.namesSecret("bypass")).isFalse();
    }

    private static List<Sample> corpus(String name) throws IOException {
        try (InputStream in = SecretsTest.class.getResourceAsStream("/github/secrets/" + name)) {
            List<Sample> samples = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("# ")) {
                    continue;
                }
                if (line.startsWith("@file:")) {
                    int space = line.indexOf(' ');
                    samples.add(new Sample(line.substring("@file:".length(), space), line.substring(space + 1)));
                } else {
                    samples.add(new Sample(DEFAULT_PATH, line));
                }
            }
            return samples;
        }
    }
}
