package dev.ccp.spi.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DiffsTest {

    @Test
    void aChangedLineShowsWithItsContextAsGitWould() {
        String diff = Diffs.unified("src/A.txt", "one\ntwo\nthree\nfour\nfive\n", "one\ntwo\nTHREE\nfour\nfive\n");
        assertThat(diff).isEqualTo("""
                diff --git a/src/A.txt b/src/A.txt
                --- a/src/A.txt
                +++ b/src/A.txt
                @@ -1,5 +1,5 @@
                 one
                 two
                -three
                +THREE
                 four
                 five
                """);
    }

    @Test
    void aNewFileIsDiffedAgainstDevNull() {
        assertThat(Diffs.unified(Map.of(), Map.of("N.md", "hello\n"))).isEqualTo("""
                diff --git a/N.md b/N.md
                new file
                --- /dev/null
                +++ b/N.md
                @@ -0,0 +1,1 @@
                +hello
                """);
    }

    @Test
    void unchangedFilesAreLeftOutAndTheRestComeInPathOrder() {
        String diff = Diffs.unified(Map.of("b", "x\n", "a", "1\n", "c", "same\n"),
                Map.of("b", "y\n", "a", "2\n", "c", "same\n"));
        assertThat(diff).contains("a/a b/a").contains("a/b b/b").doesNotContain("a/c");
        assertThat(diff.indexOf("a/a b/a")).isLessThan(diff.indexOf("a/b b/b"));
    }

    @Test
    void aChangeOfTheFinalNewlineAloneIsSaid() {
        assertThat(Diffs.unified("f", "x\n", "x")).contains("only the line endings or the final newline change");
    }
}
