package dev.ccp.server.usage.control;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * k-safety for a table of cells with row, column and grand totals, where each cell knows the
 * distinct seats behind it: a set of the view's seats, numbered from 0 (bit i set when seat i is
 * behind the cell), so that the unions and counts below cost a few words each.
 *
 * <p>Primary suppression hides a non-empty cell or total with fewer than k seats. Complementary
 * suppression then makes sure no hidden figure can be worked out by subtraction: every line whose
 * total is shown (each row, each column, the whole table, and the row and column totals against
 * the grand total) must hide none of its parts, or at least two that stand for at least k distinct
 * seats together; else the smallest shown part is hidden too (and if none is left, the line's
 * total). Repeated until nothing changes. Finally a hidden row or column total hides its whole line,
 * empty cells included, so the shape of a small group's activity does not show either.
 *
 * <p>A view's cells may also be totals of finer cells another view shows (a 6-hour bucket of the
 * hours in the 24-hour view); the caller names the ones that would give away a finer cell hidden
 * there, and they start out hidden.
 */
public final class KSafety {

    /** What to hide. {@code cells[r][c]}, {@code rows[r]}, {@code columns[c]}, {@code grand}. */
    public record Hidden(boolean[][] cells, boolean[] rows, boolean[] columns, boolean grand) {
    }

    private KSafety() {
    }

    public static Hidden apply(List<List<BitSet>> cells, List<BitSet> rowTotals, List<BitSet> columnTotals,
            BitSet grandTotal, int k) {
        return apply(cells, rowTotals, columnTotals, grandTotal, k, new boolean[rowTotals.size()][columnTotals.size()],
                new boolean[columnTotals.size()]);
    }

    /**
     * As above, with cells and column totals that must be hidden whatever their seats, because they
     * would give away something hidden elsewhere; they are protected like any other hidden figure.
     */
    public static Hidden apply(List<List<BitSet>> cells, List<BitSet> rowTotals, List<BitSet> columnTotals,
            BitSet grandTotal, int k, boolean[][] alsoHidden, boolean[] alsoHiddenColumns) {
        int rows = rowTotals.size();
        int columns = columnTotals.size();
        boolean[][] hiddenCells = new boolean[rows][columns];
        boolean[] hiddenRows = new boolean[rows];
        boolean[] hiddenColumns = new boolean[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                hiddenCells[r][c] = tooFew(cells.get(r).get(c), k) || alsoHidden[r][c];
            }
            hiddenRows[r] = tooFew(rowTotals.get(r), k);
        }
        for (int c = 0; c < columns; c++) {
            hiddenColumns[c] = tooFew(columnTotals.get(c), k) || alsoHiddenColumns[c];
        }
        boolean[] hiddenGrand = {tooFew(grandTotal, k)};

        boolean changed = true;
        while (changed) {
            changed = false;
            // Every row, every column, and the whole table against the grand total.
            for (int r = 0; r < rows; r++) {
                changed |= protect(cells.get(r), hiddenCells[r], hiddenRows, r, k);
            }
            for (int c = 0; c < columns; c++) {
                List<BitSet> line = new ArrayList<>(rows);
                boolean[] hidden = new boolean[rows];
                for (int r = 0; r < rows; r++) {
                    line.add(cells.get(r).get(c));
                    hidden[r] = hiddenCells[r][c];
                }
                boolean lineChanged = protect(line, hidden, hiddenColumns, c, k);
                for (int r = 0; r < rows; r++) {
                    hiddenCells[r][c] = hidden[r];
                }
                changed |= lineChanged;
            }
            List<BitSet> all = new ArrayList<>(rows * columns);
            boolean[] allHidden = new boolean[rows * columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    all.add(cells.get(r).get(c));
                    allHidden[r * columns + c] = hiddenCells[r][c];
                }
            }
            if (protect(all, allHidden, hiddenGrand, 0, k)) {
                for (int i = 0; i < allHidden.length; i++) {
                    hiddenCells[i / columns][i % columns] = allHidden[i];
                }
                changed = true;
            }
            // The model totals and the bucket totals each add up to the grand total as well.
            changed |= protectTotals(rowTotals, hiddenRows, hiddenGrand, k, r -> hideSmallestCell(cells.get(r), hiddenCells[r]));
            changed |= protectTotals(columnTotals, hiddenColumns, hiddenGrand, k, c -> {
                List<BitSet> line = new ArrayList<>(rows);
                boolean[] hidden = new boolean[rows];
                for (int r = 0; r < rows; r++) {
                    line.add(cells.get(r).get(c));
                    hidden[r] = hiddenCells[r][c];
                }
                boolean hid = hideSmallestCell(line, hidden);
                for (int r = 0; r < rows; r++) {
                    hiddenCells[r][c] = hidden[r];
                }
                return hid;
            });
        }
        // A hidden total hides its whole line: where there was no activity would otherwise show
        // when a group of too few seats was active.
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                hiddenCells[r][c] |= hiddenRows[r] || hiddenColumns[c];
            }
        }
        return new Hidden(hiddenCells, hiddenRows, hiddenColumns, hiddenGrand[0]);
    }

    /**
     * Makes one line of cells safe against subtraction from its shown total: its hidden cells must be
     * none, or at least two standing for at least k distinct seats together.
     *
     * @return whether anything more was hidden
     */
    private static boolean protect(List<BitSet> line, boolean[] hidden, boolean[] totals, int total, int k) {
        if (totals[total] || covered(line, hidden, k)) {
            return false;
        }
        if (!hideSmallestCell(line, hidden)) {
            totals[total] = true;
        }
        return true;
    }

    /**
     * The same rule for a set of totals that add up to the grand total. Hiding a total is only real
     * if one of its cells is hidden too, else the total could be added up from its cells.
     */
    private static boolean protectTotals(List<BitSet> totals, boolean[] hidden, boolean[] grand, int k,
            java.util.function.IntPredicate hideACellOf) {
        if (grand[0] || covered(totals, hidden, k)) {
            return false;
        }
        int smallest = smallestShown(totals, hidden);
        if (smallest < 0) {
            grand[0] = true;
            return true;
        }
        hidden[smallest] = true;
        hideACellOf.test(smallest);
        return true;
    }

    /**
     * Whether the parts of a shown total may be shown as they are: those with too few seats must be
     * none, or at least two standing for at least k distinct seats together.
     */
    public static boolean safeToSubtract(List<BitSet> parts, int k) {
        boolean[] hidden = new boolean[parts.size()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = tooFew(parts.get(i), k);
        }
        return covered(parts, hidden, k);
    }

    /** Whether the hidden parts of a line are none, or at least two standing for at least k distinct seats together. */
    private static boolean covered(List<BitSet> parts, boolean[] hidden, int k) {
        BitSet hiddenSeats = new BitSet();
        int count = 0;
        for (int i = 0; i < parts.size(); i++) {
            if (hidden[i] && !parts.get(i).isEmpty()) {
                hiddenSeats.or(parts.get(i));
                count++;
            }
        }
        return count == 0 || (count >= 2 && hiddenSeats.cardinality() >= k);
    }

    /** Hides the shown, non-empty cell with the fewest seats; false when there is none. */
    private static boolean hideSmallestCell(List<BitSet> line, boolean[] hidden) {
        int smallest = smallestShown(line, hidden);
        if (smallest < 0) {
            return false;
        }
        hidden[smallest] = true;
        return true;
    }

    /** The shown, non-empty part with the fewest seats, or -1. */
    private static int smallestShown(List<BitSet> parts, boolean[] hidden) {
        int smallest = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (!hidden[i] && !parts.get(i).isEmpty() && (smallest < 0 || parts.get(i).cardinality() < parts.get(smallest).cardinality())) {
                smallest = i;
            }
        }
        return smallest;
    }

    private static boolean tooFew(BitSet seats, int k) {
        return !seats.isEmpty() && seats.cardinality() < k;
    }
}
