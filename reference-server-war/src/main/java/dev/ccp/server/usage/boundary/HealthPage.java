package dev.ccp.server.usage.boundary;

import dev.ccp.spi.wire.HealthCell;
import dev.ccp.spi.wire.HealthSeries;
import dev.ccp.spi.wire.ModelHealthResponse;
import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
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
 * (requests, error rate, p95 latency) with labelled gridlines, and a table of totals. A bucket
 * without a figure (no data, or suppressed) is a gap: no dot, and the line breaks there. Only
 * numbers are computed here; every text reaches the page through the template, which escapes it.
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
                chart(health, "Requests", c -> c.requests() == null ? null : c.requests().doubleValue(), "", true),
                chart(health, "Error rate", c -> c.errorRate() == null ? null : c.errorRate() * 100, " %", false),
                chart(health, "p95 latency", c -> c.p95Ms() == null ? null : c.p95Ms().doubleValue(), " ms", true)));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HealthSeries s : health.models()) {
            rows.add(row(s.model(), s.total()));
        }
        if (!health.models().isEmpty()) {
            rows.add(row("all models", health.all().total()));
        }
        scope.put("rows", rows);
        scope.put("hasUsage", !rows.isEmpty());
        return scope;
    }

    /** A chart of one figure; {@code whole} when the figure is a count, so the value axis needs no fractions. */
    private static Map<String, Object> chart(ModelHealthResponse health, String title, Function<HealthCell, Double> value,
            String unit, boolean whole) {
        double max = 0;
        for (HealthSeries s : health.models()) {
            for (HealthCell c : s.buckets()) {
                Double v = c.suppressed() ? null : value.apply(c);
                if (v != null) {
                    max = Math.max(max, v);
                }
            }
        }
        double[] levels = levels(max, whole);
        double scale = levels[levels.length - 1] == 0 ? 1 : levels[levels.length - 1];
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
                    long y = y(v, scale);
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
        chart.put("ticks", ticks);
        chart.put("gridlines", gridlines(levels, scale, unit));
        chart.put("series", series);
        return chart;
    }

    /**
     * The values of an axis's gridlines, from 0 to at least {@code max}: steps of 1, 2, 2.5 or 5 times
     * a power of ten, the smallest that needs at most four steps, so any value can be read off by eye.
     */
    static double[] levels(double max, boolean whole) {
        if (!(max > 0)) {
            return new double[] {0};
        }
        double least = whole ? Math.max(max / 4, 1) : max / 4;
        double power = Math.pow(10, Math.floor(Math.log10(least)));
        double step = 10 * power;
        for (double m : new double[] {1, 2, 2.5, 5}) {
            double candidate = m * power;
            if (candidate >= least * (1 - 1e-9) && (!whole || candidate == Math.rint(candidate))) {
                step = candidate;
                break;
            }
        }
        int steps = (int) Math.ceil(max / step - 1e-9);
        double[] levels = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            levels[i] = i * step;
        }
        return levels;
    }

    private static List<Map<String, Object>> gridlines(double[] levels, double scale, String unit) {
        DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ENGLISH));
        if (levels.length > 1) {
            // As many decimals as the step has (0.25 needs two), so no two labels read the same.
            format.setMaximumFractionDigits(Math.max(0, BigDecimal.valueOf(levels[1]).round(new MathContext(2)).stripTrailingZeros().scale()));
        }
        List<Map<String, Object>> gridlines = new ArrayList<>();
        for (double level : levels) {
            long y = y(level, scale);
            gridlines.add(Map.of("y", y, "labelY", y + 4, "text", format.format(level) + unit));
        }
        return gridlines;
    }

    private static long y(double value, double scale) {
        return Math.round(BOTTOM - value / scale * (BOTTOM - TOP));
    }

    private static double x(int bucket, int buckets) {
        return LEFT + (buckets <= 1 ? 0 : bucket * (double) (RIGHT - LEFT) / (buckets - 1));
    }

    private static Map<String, Object> row(String model, HealthCell total) {
        Map<String, Object> row = new HashMap<>();
        row.put("model", model);
        row.put("suppressed", total.suppressed());
        if (!total.suppressed()) {
            row.put("requests", count(total.requests()));
            row.put("errorRate", percent(total.errorRate()));
            row.put("rateLimited", percent(total.rateLimitedShare()));
            row.put("p50", count(total.p50Ms()));
            row.put("p95", count(total.p95Ms()));
            row.put("tokensIn", count(total.tokensIn()));
            row.put("tokensOut", count(total.tokensOut()));
            row.put("offloaded", percent(total.offloadShare()));
        }
        return row;
    }

    /** Grouped in thousands for the reader; the JSON and the CSV keep plain numbers for programs. */
    private static String count(Long value) {
        return value == null ? "–" : NumberFormat.getIntegerInstance(Locale.ENGLISH).format(value);
    }

    private static String percent(Double share) {
        return share == null ? "–" : String.format(Locale.ENGLISH, "%.1f %%", share * 100);
    }
}
