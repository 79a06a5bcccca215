package dev.ccp.server.usage.control;

import dev.ccp.spi.usage.LatencyBuckets;
import dev.ccp.spi.wire.HealthCell;
import dev.ccp.spi.wire.HealthSeries;
import dev.ccp.spi.wire.ModelHealthResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model health over a window: merges every seat's rows per model and bucket, computes rates and
 * percentiles from the merged histograms, then hides what k-safety requires.
 */
public final class ModelHealth {

    /** Running sums of one cell, and the seats behind it. */
    static final class Sums {
        final Set<String> seats = new HashSet<>();
        long requests;
        long errors;
        long rateLimited;
        long offloaded;
        long tokensIn;
        long tokensOut;
        final long[] histogram = new long[LatencyBuckets.COUNT];

        void add(StoredRollup row) {
            seats.add(row.seat());
            requests += row.requests();
            errors += row.errors();
            rateLimited += row.rateLimited();
            offloaded += row.offloaded();
            tokensIn += row.tokensIn();
            tokensOut += row.tokensOut();
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] += row.histogram()[i];
            }
        }

        HealthCell cell(Instant start, boolean hidden) {
            if (hidden) {
                return HealthCell.suppressed(start);
            }
            return new HealthCell(start, false, requests, share(errors), share(rateLimited),
                    LatencyBuckets.quantile(histogram, 0.50), LatencyBuckets.quantile(histogram, 0.95),
                    tokensIn, tokensOut, share(offloaded));
        }

        private Double share(long part) {
            return requests == 0 ? null : Math.round(part * 10_000.0 / requests) / 10_000.0;
        }
    }

    private final RollupStore store;

    public ModelHealth(RollupStore store) {
        this.store = store;
    }

    public ModelHealthResponse compute(String orgSlug, String orgId, int k, HealthWindow window, Instant now) {
        return summarize(orgSlug, k, window, now, store.window(orgId, window.from(now), window.to(now)));
    }

    static ModelHealthResponse summarize(String orgSlug, int k, HealthWindow window, Instant now, List<StoredRollup> rows) {
        int n = window.buckets();
        Map<String, List<Sums>> byModel = new LinkedHashMap<>();
        Map<String, Sums> modelTotals = new LinkedHashMap<>();
        List<Sums> bucketTotals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bucketTotals.add(new Sums());
        }
        Sums grand = new Sums();
        for (StoredRollup row : rows) {
            int i = window.index(row.hour(), now);
            byModel.computeIfAbsent(row.model(), m -> {
                List<Sums> cells = new ArrayList<>();
                for (int b = 0; b < n; b++) {
                    cells.add(new Sums());
                }
                return cells;
            }).get(i).add(row);
            modelTotals.computeIfAbsent(row.model(), m -> new Sums()).add(row);
            bucketTotals.get(i).add(row);
            grand.add(row);
        }
        List<String> models = new ArrayList<>(byModel.keySet());
        models.sort(Comparator.comparingLong((String m) -> -modelTotals.get(m).requests).thenComparing(m -> m));

        KSafety.Hidden hidden = KSafety.apply(
                models.stream().map(m -> byModel.get(m).stream().map(s -> s.seats).toList()).toList(),
                models.stream().map(m -> modelTotals.get(m).seats).toList(),
                bucketTotals.stream().map(s -> s.seats).toList(),
                grand.seats, k);

        Instant from = window.from(now);
        List<HealthSeries> series = new ArrayList<>();
        for (int r = 0; r < models.size(); r++) {
            List<HealthCell> cells = new ArrayList<>(n);
            List<Sums> line = byModel.get(models.get(r));
            for (int b = 0; b < n; b++) {
                cells.add(line.get(b).cell(from.plus(window.bucket().multipliedBy(b)), hidden.cells()[r][b]));
            }
            series.add(new HealthSeries(models.get(r), modelTotals.get(models.get(r)).cell(from, hidden.rows()[r]), cells));
        }
        List<HealthCell> allCells = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            allCells.add(bucketTotals.get(b).cell(from.plus(window.bucket().multipliedBy(b)), hidden.columns()[b]));
        }
        HealthSeries all = new HealthSeries("all", grand.cell(from, hidden.grand()), allCells);
        return new ModelHealthResponse(orgSlug, window.label(), window.bucket().toSeconds(), k, from, window.to(now), series, all);
    }
}
