package dev.ccp.server.usage.control;

import dev.ccp.spi.usage.LatencyBuckets;
import dev.ccp.spi.wire.HealthCell;
import dev.ccp.spi.wire.HealthSeries;
import dev.ccp.spi.wire.ModelHealthResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model health over a window: merges every seat's rows per model and bucket, computes rates and
 * percentiles from the merged histograms, then hides what k-safety requires.
 */
public final class ModelHealth {

    /** Running sums of one cell, and the seats behind it, numbered as in {@link KSafety}. */
    static final class Sums {
        final BitSet seats = new BitSet();
        final long[] totals = new long[6 + LatencyBuckets.COUNT];

        /** For a bucket of several hours, the seats behind each hour; null for an hourly bucket. */
        private List<BitSet> hourSeats;

        List<BitSet> hourSeats(int hours) {
            if (hourSeats == null) {
                hourSeats = new ArrayList<>(hours);
                for (int h = 0; h < hours; h++) {
                    hourSeats.add(new BitSet());
                }
            }
            return hourSeats;
        }

        /** Whether this bucket's figure, less the hours shown, would give away the hours hidden for too few seats. */
        boolean givesAwayAnHour(int k) {
            return hourSeats != null && hourSeats.size() > 1 && !KSafety.safeToSubtract(hourSeats, k);
        }

        void add(long[] more) {
            for (int i = 0; i < totals.length; i++) {
                totals[i] += more[i];
            }
        }

        HealthCell cell(Instant start, boolean hidden) {
            // Hidden comes first: in a hidden line an empty cell is hidden too (see KSafety), else
            // the gaps would draw when the few seats behind it were active.
            if (hidden) {
                return HealthCell.suppressed(start);
            }
            // Every row names its seat, so no seats means no row: usage not sent (or not yet), which
            // is not the same as zero requests.
            if (seats.isEmpty()) {
                return HealthCell.noData(start);
            }
            long[] histogram = java.util.Arrays.copyOfRange(totals, 6, totals.length);
            return new HealthCell(start, false, totals[0], share(totals[1]), share(totals[2]),
                    LatencyBuckets.quantile(histogram, 0.50), LatencyBuckets.quantile(histogram, 0.95),
                    totals[4], totals[5], share(totals[3]));
        }

        private Double share(long part) {
            return totals[0] == 0 ? null : Math.round(part * 10_000.0 / totals[0]) / 10_000.0;
        }
    }

    private final UsageWindows windows;

    public ModelHealth(UsageWindows windows) {
        this.windows = windows;
    }

    public ModelHealthResponse compute(String orgSlug, String orgId, int k, HealthWindow window, Instant now) {
        UsageWindows.Usage usage = windows.usage(orgId, window.from(now), window.to(now), window.bucket().toSeconds());
        return summarize(orgSlug, k, window, now, usage.sums(), usage.seats());
    }

    static ModelHealthResponse summarize(String orgSlug, int k, HealthWindow window, Instant now,
            List<UsageWindows.Sums> sums, List<UsageWindows.SeatInBucket> seats) {
        int n = window.buckets();
        Map<String, List<Sums>> byModel = new LinkedHashMap<>();
        Map<String, Sums> modelTotals = new LinkedHashMap<>();
        List<Sums> bucketTotals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bucketTotals.add(new Sums());
        }
        Sums grand = new Sums();
        for (UsageWindows.Sums cell : sums) {
            int i = window.index(cell.start(), now);
            cells(byModel, cell.model(), n).get(i).add(cell.totals());
            modelTotals.computeIfAbsent(cell.model(), m -> new Sums()).add(cell.totals());
            bucketTotals.get(i).add(cell.totals());
            grand.add(cell.totals());
        }
        int hours = (int) window.bucket().toHours();
        Map<String, Integer> seatNumbers = new HashMap<>();
        for (UsageWindows.SeatInBucket seat : seats) {
            int number = seatNumbers.computeIfAbsent(seat.seat(), s -> seatNumbers.size());
            Sums cell = cells(byModel, seat.model(), n).get(seat.bucket());
            cell.seats.set(number);
            modelTotals.computeIfAbsent(seat.model(), m -> new Sums()).seats.set(number);
            bucketTotals.get(seat.bucket()).seats.set(number);
            grand.seats.set(number);
            for (int h = 0; hours > 1 && h < hours; h++) {
                if ((seat.hours() >> h & 1) != 0) {
                    cell.hourSeats(hours).get(h).set(number);
                    bucketTotals.get(seat.bucket()).hourSeats(hours).get(h).set(number);
                }
            }
        }
        List<String> models = new ArrayList<>(byModel.keySet());
        models.sort(Comparator.comparingLong((String m) -> -modelTotals.get(m).totals[0]).thenComparing(m -> m));

        // A bucket of several hours is the total of hours the 24-hour view shows one by one: it is
        // hidden as well when it would give away the hours that view hides.
        boolean[][] cellsGivingAwayHours = new boolean[models.size()][n];
        boolean[] bucketsGivingAwayHours = new boolean[n];
        for (int b = 0; b < n; b++) {
            for (int r = 0; r < models.size(); r++) {
                cellsGivingAwayHours[r][b] = byModel.get(models.get(r)).get(b).givesAwayAnHour(k);
            }
            bucketsGivingAwayHours[b] = bucketTotals.get(b).givesAwayAnHour(k);
        }
        KSafety.Hidden hidden = KSafety.apply(
                models.stream().map(m -> byModel.get(m).stream().map(s -> s.seats).toList()).toList(),
                models.stream().map(m -> modelTotals.get(m).seats).toList(),
                bucketTotals.stream().map(s -> s.seats).toList(),
                grand.seats, k, cellsGivingAwayHours, bucketsGivingAwayHours);

        Instant from = window.from(now);
        List<HealthSeries> shown = new ArrayList<>();
        List<HealthSeries> hiddenSeries = new ArrayList<>();
        for (int r = 0; r < models.size(); r++) {
            List<HealthCell> cells = new ArrayList<>(n);
            List<Sums> line = byModel.get(models.get(r));
            for (int b = 0; b < n; b++) {
                cells.add(line.get(b).cell(from.plus(window.bucket().multipliedBy(b)), hidden.cells()[r][b]));
            }
            HealthSeries one = new HealthSeries(models.get(r), modelTotals.get(models.get(r)).cell(from, hidden.rows()[r]), cells);
            (hidden.rows()[r] ? hiddenSeries : shown).add(one);
        }
        // Hidden models go last, by name: an order by volume would bracket what they hide.
        hiddenSeries.sort(Comparator.comparing(HealthSeries::model));
        List<HealthSeries> series = new ArrayList<>(shown);
        series.addAll(hiddenSeries);
        List<HealthCell> allCells = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            allCells.add(bucketTotals.get(b).cell(from.plus(window.bucket().multipliedBy(b)), hidden.columns()[b]));
        }
        HealthSeries all = new HealthSeries("all", grand.cell(from, hidden.grand()), allCells);
        return new ModelHealthResponse(orgSlug, window.label(), window.bucket().toSeconds(), k, from, window.to(now), series, all);
    }

    private static List<Sums> cells(Map<String, List<Sums>> byModel, String model, int buckets) {
        return byModel.computeIfAbsent(model, m -> {
            List<Sums> cells = new ArrayList<>(buckets);
            for (int b = 0; b < buckets; b++) {
                cells.add(new Sums());
            }
            return cells;
        });
    }
}
