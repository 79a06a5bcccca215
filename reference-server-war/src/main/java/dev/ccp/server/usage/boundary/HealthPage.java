package dev.ccp.server.usage.boundary;

import dev.ccp.spi.wire.HealthCell;
import dev.ccp.spi.wire.HealthSeries;
import dev.ccp.spi.wire.ModelHealthResponse;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a model health answer into what the page template draws: SVG coordinates for three charts
 * (requests, error rate, p95 latency) and a table of totals. Only numbers are computed here; every
 * text reaches the page through the template, which escapes it.
 */
final class HealthPage {

    private static final String[] PALETTE = {"#0969da", "#1a7f37", "#cf222e", "#8250df", "#bf8700", "#1b7c83", "#bc4c00", "#6e7781"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 240;
    private static final int LEFT = 64;
    private static final int RIGHT = 744;
    private static final int TOP = 16;
    private static final int BOTTOM = 200;

    private HealthPage() {
    }

    static Map<String, Object> scope(ModelHealthResponse health) {
        Map<String, Object> scope = new HashMap<>();
        DateTimeFormatter full = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        scope.put("from", full.format(health.from()));
        scope.put("to", full.format(health.to()));
        scope.put("k", health.k());
        scope.put("bucketLabel", health.bucketSeconds() == 3600 ? "hourly" : "6-hour");
        List<Map<String, Object>> legend = new ArrayList<>();
        for (int i = 0; i < health.models().size(); i++) {
            legend.add(Map.of("model", health.models().get(i).model(), "color", PALETTE[i % PALETTE.length]));
        }
        scope.put("legend", legend);
        scope.put("charts", List.of(
                chart(health, "Requests", c -> c.requests() == null ? null : c.requests().doubleValue(), v -> String.format(Locale.ROOT, "%.0f", v)),
                chart(health, "Error rate", c -> c.errorRate() == null ? null : c.errorRate() * 100, v -> String.format(Locale.ROOT, "%.1f %%", v)),
                chart(health, "p95 latency", c -> c.p95Ms() == null ? null : c.p95Ms().doubleValue(),
                        v -> v >= 1000 ? String.format(Locale.ROOT, "%.1f s", v / 1000) : String.format(Locale.ROOT, "%.0f ms", v))));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HealthSeries s : health.models()) {
            rows.add(row(s.model(), s.total()));
        }
        if (!health.models().isEmpty()) {
            rows.add(row("all models", health.all().total()));
        }
        scope.put("rows", rows);
        return scope;
    }

    private static Map<String, Object> chart(ModelHealthResponse health, String title, Function<HealthCell, Double> value,
            Function<Double, String> label) {
        double max = 0;
        for (HealthSeries s : health.models()) {
            for (HealthCell c : s.buckets()) {
                Double v = c.suppressed() ? null : value.apply(c);
                if (v != null) {
                    max = Math.max(max, v);
                }
            }
        }
        double scale = max == 0 ? 1 : max;
        int n = health.all().buckets().size();
        List<Map<String, Object>> series = new ArrayList<>();
        for (int m = 0; m < health.models().size(); m++) {
            String color = PALETTE[m % PALETTE.length];
            List<Map<String, Object>> segments = new ArrayList<>();
            List<Map<String, Object>> dots = new ArrayList<>();
            StringBuilder points = new StringBuilder();
            int inSegment = 0;
            List<HealthCell> cells = health.models().get(m).buckets();
            for (int b = 0; b <= n; b++) {
                Double v = b < n && !cells.get(b).suppressed() ? value.apply(cells.get(b)) : null;
                if (v != null) {
                    long x = Math.round(x(b, n));
                    long y = Math.round(BOTTOM - v / scale * (BOTTOM - TOP));
                    points.append(inSegment == 0 ? "" : " ").append(x).append(',').append(y);
                    dots.add(Map.of("x", x, "y", y, "color", color));
                    inSegment++;
                } else if (inSegment > 0) {
                    if (inSegment > 1) {
                        segments.add(Map.of("points", points.toString(), "color", color));
                    }
                    points.setLength(0);
                    inSegment = 0;
                }
            }
            series.add(Map.of("segments", segments, "dots", dots));
        }
        List<Map<String, Object>> ticks = new ArrayList<>();
        DateTimeFormatter tick = health.bucketSeconds() == 3600
                ? DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC)
                : DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        int every = 4;
        for (int b = 0; b < n; b += every) {
            ticks.add(Map.of("x", Math.round(x(b, n)), "y", BOTTOM + 16, "text", tick.format(health.all().buckets().get(b).start())));
        }
        Map<String, Object> chart = new HashMap<>();
        chart.put("title", title);
        chart.put("width", WIDTH);
        chart.put("height", HEIGHT);
        chart.put("left", LEFT);
        chart.put("right", RIGHT);
        chart.put("top", TOP);
        chart.put("bottom", BOTTOM);
        chart.put("labelX", LEFT - 6);
        chart.put("topLabelY", TOP + 4);
        chart.put("max", label.apply(max));
        chart.put("ticks", ticks);
        chart.put("series", series);
        return chart;
    }

    private static double x(int bucket, int buckets) {
        return LEFT + (buckets <= 1 ? 0 : bucket * (double) (RIGHT - LEFT) / (buckets - 1));
    }

    private static Map<String, Object> row(String model, HealthCell total) {
        Map<String, Object> row = new HashMap<>();
        row.put("model", model);
        row.put("suppressed", total.suppressed());
        if (!total.suppressed()) {
            row.put("requests", total.requests());
            row.put("errorRate", percent(total.errorRate()));
            row.put("rateLimited", percent(total.rateLimitedShare()));
            row.put("p50", total.p50Ms() == null ? "–" : total.p50Ms());
            row.put("p95", total.p95Ms() == null ? "–" : total.p95Ms());
            row.put("tokensIn", total.tokensIn());
            row.put("tokensOut", total.tokensOut());
            row.put("offloaded", percent(total.offloadShare()));
        }
        return row;
    }

    private static String percent(Double share) {
        return share == null ? "–" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
