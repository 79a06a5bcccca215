package dev.ccp.server.usage.control;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * k-safety for a table of cells with row, column and grand totals, where each cell knows the
 * distinct seats behind it.
 *
 * <p>Primary suppression hides a non-empty cell with fewer than k seats. Complementary suppression
 * then makes sure no hidden cell can be worked out from what is shown: in every line whose total is
 * shown, the hidden cells together must stand for at least k distinct seats, else the smallest shown
 * cell of that line is hidden too (and if none is left, the line's total). Repeated until nothing
 * changes. Empty cells (no seats) reveal nothing and stay shown.
 */
public final class KSafety {

    /** What to hide. {@code cells[r][c]}, {@code rows[r]}, {@code columns[c]}, {@code grand}. */
    public record Hidden(boolean[][] cells, boolean[] rows, boolean[] columns, boolean grand) {
    }

    private KSafety() {
    }

    public static Hidden apply(List<List<Set<String>>> cells, List<Set<String>> rowTotals, List<Set<String>> columnTotals,
            Set<String> grandTotal, int k) {
        int rows = rowTotals.size();
        int columns = columnTotals.size();
        boolean[][] hiddenCells = new boolean[rows][columns];
        boolean[] hiddenRows = new boolean[rows];
        boolean[] hiddenColumns = new boolean[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                hiddenCells[r][c] = tooFew(cells.get(r).get(c), k);
            }
            hiddenRows[r] = tooFew(rowTotals.get(r), k);
        }
        for (int c = 0; c < columns; c++) {
            hiddenColumns[c] = tooFew(columnTotals.get(c), k);
        }
        boolean[] hiddenGrand = {tooFew(grandTotal, k)};

        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < rows; r++) {
                List<Set<String>> line = cells.get(r);
                boolean[] hidden = hiddenCells[r];
                changed |= protect(line, hidden, hiddenRows, r, k);
            }
            for (int c = 0; c < columns; c++) {
                List<Set<String>> line = new ArrayList<>(rows);
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
            changed |= protect(rowTotals, hiddenRows, hiddenGrand, 0, k);
            changed |= protect(columnTotals, hiddenColumns, hiddenGrand, 0, k);
        }
        return new Hidden(hiddenCells, hiddenRows, hiddenColumns, hiddenGrand[0]);
    }

    /**
     * Makes one line safe against subtraction from its shown total.
     *
     * @return whether anything more was hidden
     */
    private static boolean protect(List<Set<String>> line, boolean[] hidden, boolean[] totals, int total, int k) {
        if (totals[total]) {
            return false;
        }
        Set<String> hiddenSeats = new HashSet<>();
        for (int i = 0; i < line.size(); i++) {
            if (hidden[i]) {
                hiddenSeats.addAll(line.get(i));
            }
        }
        if (hiddenSeats.isEmpty() || hiddenSeats.size() >= k) {
            return false;
        }
        int smallest = -1;
        for (int i = 0; i < line.size(); i++) {
            if (!hidden[i] && !line.get(i).isEmpty() && (smallest < 0 || line.get(i).size() < line.get(smallest).size())) {
                smallest = i;
            }
        }
        if (smallest >= 0) {
            hidden[smallest] = true;
        } else {
            totals[total] = true;
        }
        return true;
    }

    private static boolean tooFew(Set<String> seats, int k) {
        return !seats.isEmpty() && seats.size() < k;
    }
}
