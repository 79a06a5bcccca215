package dev.ccp.server.github.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.github.control.DiffLines.Line;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiffLinesTest {

    /** Two hunks of a modified Java file, as GitHub's "List pull request files" gives {@code patch}. */
    static final String MODIFIED = String.join("\n",
            "@@ -1,5 +1,6 @@",
            " package demo;",
            " ",
            "-import java.util.List;",
            "+import java.util.ArrayList;",
            "+import java.util.List;",
            " ",
            " public class Demo {",
            "@@ -20,3 +21,4 @@ public class Demo {",
            "     void run() {",
            "+        log(\"run\");",
            "     }",
            " }");

    @Test
    void addedLinesCarryTheirNumberInTheNewFile() {
        DiffLines diff = DiffLines.of(MODIFIED);

        assertThat(diff.added()).containsExactly(
                new Line(3, "import java.util.ArrayList;"),
                new Line(4, "import java.util.List;"),
                new Line(22, "        log(\"run\");"));
    }

    @Test
    void addedAndContextLinesOnTheNewSideAreCommentable() {
        DiffLines diff = DiffLines.of(MODIFIED);

        assertThat(diff.commentable()).containsExactly(1, 2, 3, 4, 5, 6, 21, 22, 23, 24);
        assertThat(diff.firstCommentable()).isEqualTo(1);
        assertThat(diff.isCommentable(7)).isFalse();
        assertThat(diff.isCommentable(20)).isFalse();
    }

    @Test
    void anAddedFileIsAllAddedLines() {
        DiffLines diff = DiffLines.of("@@ -0,0 +1,3 @@\n+one\n+two\n+three");

        assertThat(diff.added()).extracting(Line::number).containsExactly(1, 2, 3);
        assertThat(diff.commentable()).containsExactly(1, 2, 3);
    }

    @Test
    void aRemovedFileHasNoLineToCommentOn() {
        DiffLines diff = DiffLines.of("@@ -1,2 +0,0 @@\n-one\n-two");

        assertThat(diff.added()).isEmpty();
        assertThat(diff.commentable()).isEmpty();
        assertThat(diff.firstCommentable()).isZero();
    }

    @Test
    void aHeaderWithoutCountsMeansOneLine() {
        DiffLines diff = DiffLines.of("@@ -1 +1 @@\n-old\n+new");

        assertThat(diff.added()).containsExactly(new Line(1, "new"));
        assertThat(diff.commentable()).containsExactly(1);
    }

    @Test
    void crlfLineEndsReadAsLf() {
        DiffLines diff = DiffLines.of(MODIFIED.replace("\n", "\r\n"));

        assertThat(diff.added()).containsExactly(
                new Line(3, "import java.util.ArrayList;"),
                new Line(4, "import java.util.List;"),
                new Line(22, "        log(\"run\");"));
        assertThat(diff.commentable()).containsExactly(1, 2, 3, 4, 5, 6, 21, 22, 23, 24);
    }

    @Test
    void noNewlineMarkersAreNotLines() {
        DiffLines diff = DiffLines.of(String.join("\n",
                "@@ -1,2 +1,2 @@",
                " first",
                "-second",
                "\\ No newline at end of file",
                "+second",
                "\\ No newline at end of file"));

        assertThat(diff.added()).containsExactly(new Line(2, "second"));
        assertThat(diff.commentable()).containsExactly(1, 2);
    }

    @Test
    void anEmptyContextLineWithoutItsSpaceStillCounts() {
        DiffLines diff = DiffLines.of("@@ -1,3 +1,4 @@\n a\n\n+b\n c");

        assertThat(diff.added()).containsExactly(new Line(3, "b"));
        assertThat(diff.commentable()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void linesThatLookLikeFileHeadersInsideAHunkAreContent() {
        DiffLines diff = DiffLines.of("@@ -1,2 +1,2 @@\n---- old heading\n++++ new heading\n @@ context");

        assertThat(diff.added()).containsExactly(new Line(1, "+++ new heading"));
        assertThat(diff.commentable()).containsExactly(1, 2);
    }

    @Test
    void fileHeadersBeforeTheFirstHunkAreSkipped() {
        DiffLines diff = DiffLines.of("diff --git a/x b/x\nindex 83db48f..bf269f4 100644\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");

        assertThat(diff.added()).containsExactly(new Line(1, "b"));
    }

    @Test
    void nothingToReadIsNoLines() {
        for (String patch : new String[] {null, "", "\n", "Binary files differ", "not a diff at all\n+looks added"}) {
            DiffLines diff = DiffLines.of(patch);
            assertThat(diff.added()).as(String.valueOf(patch)).isEmpty();
            assertThat(diff.commentable()).as(String.valueOf(patch)).isEmpty();
            assertThat(diff.firstCommentable()).isZero();
        }
    }

    @Test
    void aMalformedHunkIsSkippedUpToTheNextHeader() {
        DiffLines diff = DiffLines.of(String.join("\n",
                "@@ -x,1 +y @@",
                "+lost",
                "@@ -1,99999999999 +1,1 @@",
                "+lost too",
                "@@ -5,1 +5,2 @@",
                " context",
                "+kept"));

        assertThat(diff.added()).containsExactly(new Line(6, "kept"));
        assertThat(diff.commentable()).containsExactly(5, 6);
    }

    @Test
    void linesBeyondWhatTheHeaderPromisedAreNotCounted() {
        DiffLines diff = DiffLines.of("@@ -1,1 +1,2 @@\n a\n+b\n+c\n d");

        assertThat(diff.added()).containsExactly(new Line(2, "b"));
        assertThat(diff.commentable()).containsExactly(1, 2);
    }

    @Test
    void aTruncatedHunkKeepsWhatItHas() {
        DiffLines diff = DiffLines.of("@@ -10,30 +10,40 @@\n a\n+b");

        assertThat(diff.added()).containsExactly(new Line(11, "b"));
        assertThat(diff.commentable()).containsExactly(10, 11);
    }

    @Test
    void aLineThatFitsNoHunkEndsItWithoutThrowing() {
        DiffLines diff = DiffLines.of("@@ -1,3 +1,3 @@\n a\n?garbage\n+b\n@@ -9 +9 @@\n+c");

        assertThat(diff.added()).containsExactly(new Line(9, "c"));
        assertThat(diff.commentable()).containsExactly(1, 9);
    }

    @Test
    void anyTextIsReadWithoutThrowing() {
        String[] pieces = {"@@ -1,2 +1,3 @@", "@@ -0,0 +1 @@", "@@ -", "@@ -1,x +1 @@", "@@ -999999999,999999999 +999999999,999999999 @@",
                "+added", "-removed", " context", "", "\\ No newline at end of file", "\r", "+", "-", "@@"};
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            StringBuilder patch = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                patch.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            DiffLines diff = DiffLines.of(patch.toString());
            assertThat(diff.commentable()).containsAll(diff.added().stream().map(Line::number).toList());
        }
    }
}
