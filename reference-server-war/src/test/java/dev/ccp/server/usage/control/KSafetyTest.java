package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KSafetyTest {

    /** Seats numbered from {@code from} up to {@code to}, exclusive. */
    private static BitSet seats(int from, int to) {
        BitSet seats = new BitSet();
        seats.set(from, to);
        return seats;
    }

    /** Seats named by letters, numbered apart from those above. */
    private static BitSet named(String... letters) {
        BitSet seats = new BitSet();
        for (String letter : letters) {
            seats.set(1000 + letter.charAt(0));
        }
        return seats;
    }

    private static BitSet union(List<BitSet> sets) {
        BitSet all = new BitSet();
        sets.forEach(all::or);
        return all;
    }

    @Test
    void groupsWithAtLeastKSeatsAreShown() {
        List<List<BitSet>> cells = List.of(List.of(seats(0, 5)), List.of(seats(5, 11)));
        KSafety.Hidden h = KSafety.apply(cells, List.of(seats(0, 5), seats(5, 11)), List.of(seats(0, 11)), seats(0, 11), 5);
        assertThat(h.cells()[0][0]).isFalse();
        assertThat(h.cells()[1][0]).isFalse();
        assertThat(h.grand()).isFalse();
    }

    @Test
    void groupsWithFewerThanKSeatsAreHidden() {
        List<List<BitSet>> cells = List.of(List.of(seats(0, 4)));
        KSafety.Hidden h = KSafety.apply(cells, List.of(seats(0, 4)), List.of(seats(0, 4)), seats(0, 4), 5);
        assertThat(h.cells()[0][0]).isTrue();
        assertThat(h.rows()[0]).isTrue();
        assertThat(h.columns()[0]).isTrue();
        assertThat(h.grand()).isTrue();
    }

    @Test
    void aLoneHiddenGroupCannotBeWorkedOutFromTheTotal() {
        // Two models: a big one (6 seats) and a small one (2 seats); the total has 8 seats and is shown,
        // so total minus the big model would reveal the small one: the big one must be hidden too.
        List<BitSet> rows = List.of(seats(0, 6), seats(6, 8));
        List<List<BitSet>> cells = List.of(List.of(seats(0, 6)), List.of(seats(6, 8)));
        KSafety.Hidden h = KSafety.apply(cells, rows, List.of(seats(0, 8)), seats(0, 8), 5);

        assertThat(h.rows()[1]).as("primary").isTrue();
        assertThat(h.rows()[0]).as("complementary").isTrue();
        assertThat(h.grand()).isFalse();
    }

    @Test
    void hiddenGroupsThatTogetherReachKNeedNoMore() {
        // Three small models of 3 seats each (9 distinct) and a big one: the hidden three add up to 9 seats.
        List<BitSet> rows = List.of(seats(0, 10), seats(10, 13), seats(13, 16), seats(16, 19));
        List<List<BitSet>> cells = rows.stream().map(List::of).toList();
        KSafety.Hidden h = KSafety.apply(cells, rows, List.of(union(rows)), union(rows), 5);
        assertThat(h.rows()).containsExactly(false, true, true, true);
    }

    @Test
    void cellsAreProtectedAlongRowsAndColumns() {
        // One model over three buckets: 5, 5 and 2 seats, row total shown: the 2-seat cell plus one more.
        List<List<BitSet>> cells = List.of(List.of(seats(0, 5), seats(0, 5), seats(0, 2)));
        KSafety.Hidden h = KSafety.apply(cells, List.of(seats(0, 5)), List.of(seats(0, 5), seats(0, 5), seats(0, 2)), seats(0, 5), 5);
        assertThat(h.cells()[0][2]).isTrue();
        long hidden = IntStream.range(0, 3).filter(c -> h.cells()[0][c]).count();
        assertThat(hidden).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSingleHiddenCellInALineWithAShownTotalIsNeverLeftAlone() {
        // k = 3. Model X: {a}, {b,c,d}, {b..e}; model Y: {f,g,h} in every bucket.
        BitSet a = named("a");
        BitSet bcd = named("b", "c", "d");
        BitSet bcde = named("b", "c", "d", "e");
        BitSet fgh = named("f", "g", "h");
        List<List<BitSet>> cells = List.of(List.of(a, bcd, bcde), List.of(fgh, fgh, fgh));
        List<BitSet> rows = List.of(union(List.of(a, bcd, bcde)), fgh);
        List<BitSet> columns = List.of(union(List.of(a, fgh)), union(List.of(bcd, fgh)), union(List.of(bcde, fgh)));
        KSafety.Hidden h = KSafety.apply(cells, rows, columns, union(rows), 3);
        assertSafe(cells, rows, columns, h);
        assertThat(h.cells()[0][0]).isTrue();
    }

    @Test
    void aSmallGroupCannotBeWorkedOutFromTheGrandTotalAndAShownCell() {
        // k = 5. Model W: 6 seats in bucket 1; model Z: 1 seat in bucket 2; grand total 7 seats.
        BitSet six = seats(0, 6);
        BitSet z = named("z");
        List<List<BitSet>> cells = List.of(List.of(six, new BitSet()), List.of(new BitSet(), z));
        List<BitSet> rows = List.of(six, z);
        List<BitSet> columns = List.of(six, z);
        KSafety.Hidden h = KSafety.apply(cells, rows, columns, union(rows), 5);
        assertSafe(cells, rows, columns, h);
        assertThat(h.cells()[1][1]).isTrue();
    }

    @Test
    void aHiddenModelHidesItsEmptyBucketsToo() {
        List<List<BitSet>> cells = List.of(List.of(seats(0, 2), new BitSet()));
        KSafety.Hidden h = KSafety.apply(cells, List.of(seats(0, 2)), List.of(seats(0, 2), new BitSet()), seats(0, 2), 5);
        assertThat(h.cells()[0]).containsExactly(true, true);
    }

    /**
     * No line with a shown total has exactly one hidden non-empty part, and a hidden total never has
     * all its parts shown.
     */
    private static void assertSafe(List<List<BitSet>> cells, List<BitSet> rows, List<BitSet> columns, KSafety.Hidden h) {
        int all = 0;
        for (int r = 0; r < rows.size(); r++) {
            int hiddenInRow = 0;
            for (int c = 0; c < columns.size(); c++) {
                if (h.cells()[r][c] && !cells.get(r).get(c).isEmpty()) {
                    hiddenInRow++;
                    all++;
                }
            }
            if (!h.rows()[r]) {
                assertThat(hiddenInRow).as("row %d", r).isNotEqualTo(1);
            } else {
                assertThat(hiddenInRow).as("hidden row %d keeps a part hidden", r).isPositive();
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            int hiddenInColumn = 0;
            for (int r = 0; r < rows.size(); r++) {
                if (h.cells()[r][c] && !cells.get(r).get(c).isEmpty()) {
                    hiddenInColumn++;
                }
            }
            if (!h.columns()[c]) {
                assertThat(hiddenInColumn).as("column %d", c).isNotEqualTo(1);
            }
        }
        if (!h.grand()) {
            assertThat(all).as("whole table").isNotEqualTo(1);
            long hiddenRows = IntStream.range(0, rows.size()).filter(r -> h.rows()[r] && !rows.get(r).isEmpty()).count();
            assertThat(hiddenRows).as("model totals").isNotEqualTo(1);
        }
    }

    @Test
    void emptyCellsRevealNothingAndStayShown() {
        List<List<BitSet>> cells = List.of(List.of(seats(0, 6), new BitSet()));
        KSafety.Hidden h = KSafety.apply(cells, List.of(seats(0, 6)), List.of(seats(0, 6), new BitSet()), seats(0, 6), 5);
        assertThat(h.cells()[0]).containsExactly(false, false);
    }
}
