package dev.ccp.cli;

import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Made-up but plausible usage for trying dashboards and exports: busy working hours and quiet nights
 * (UTC), quieter weekends, mostly Sonnet with some Haiku and offloaded GLM, 1–3 % errors and a few rate
 * limits, log-normal latencies and token counts. The same seed gives the same events.
 */
final class SampleUsage {

    /** Model, share of requests, median latency in ms, whether it runs offloaded. */
    private record Model(String id, double share, double medianMs, boolean offloaded) {
    }

    private static final List<Model> MODELS = List.of(
            new Model("claude-sonnet-4-5", 0.6, 1800, false),
            new Model("claude-haiku-4-5", 0.28, 650, false),
            new Model("glm-4.6", 0.12, 2400, true));
    /** Requests in the busiest hour of a weekday. */
    private static final double PEAK_PER_HOUR = 40;

    private SampleUsage() {
    }

    /** Events over the {@code days} days that end at {@code end}, oldest first, none after it. */
    static List<UsageEvent> generate(Instant end, int days, long seed) {
        Random random = new Random(seed);
        List<UsageEvent> events = new ArrayList<>();
        Instant start = end.minus(Duration.ofDays(days));
        for (Instant hour = start.truncatedTo(ChronoUnit.HOURS); hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            int n = poisson(random, PEAK_PER_HOUR * activity(hour));
            for (int i = 0; i < n; i++) {
                Instant ts = hour.plusSeconds(random.nextInt(3600));
                if (!ts.isBefore(start) && ts.isBefore(end)) {
                    events.add(event(random, ts));
                }
            }
        }
        events.sort(Comparator.comparing(UsageEvent::ts));
        return events;
    }

    /** 0.05 at night, up to 1 in the early afternoon (UTC); weekends at a quarter. */
    static double activity(Instant hour) {
        var time = hour.atZone(ZoneOffset.UTC);
        int h = time.getHour();
        double day = h < 7 || h > 21 ? 0.05 : 0.05 + 0.95 * Math.sin(Math.PI * (h - 7) / 14.0);
        boolean weekend = time.getDayOfWeek().getValue() >= 6;
        return weekend ? day * 0.25 : day;
    }

    private static UsageEvent event(Random random, Instant ts) {
        Model model = pick(random);
        double roll = random.nextDouble();
        Outcome outcome = roll < 0.02 ? Outcome.ERROR : roll < 0.03 ? Outcome.RATE_LIMITED : Outcome.OK;
        long latency = switch (outcome) {
            case OK -> logNormal(random, model.medianMs(), 0.6);
            case ERROR -> logNormal(random, model.medianMs() / 2, 1.0);
            case RATE_LIMITED -> logNormal(random, 80, 0.4);
        };
        long in = outcome == Outcome.RATE_LIMITED ? 0 : logNormal(random, 3000, 0.9);
        long out = outcome == Outcome.OK ? logNormal(random, 450, 0.8) : 0;
        return new UsageEvent(ts, model.id(), outcome, Math.min(latency, 600_000), Math.min(in, 200_000), Math.min(out, 64_000),
                model.offloaded());
    }

    private static Model pick(Random random) {
        double roll = random.nextDouble();
        for (Model model : MODELS) {
            roll -= model.share();
            if (roll < 0) {
                return model;
            }
        }
        return MODELS.get(0);
    }

    private static long logNormal(Random random, double median, double sigma) {
        return Math.max(1, Math.round(median * Math.exp(sigma * random.nextGaussian())));
    }

    /** Knuth's method; fine for the small means here. */
    private static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }
}
