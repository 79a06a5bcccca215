package dev.ccp.sdk.internal;

import dev.ccp.sdk.Quota;
import dev.ccp.sdk.Quota.Counts;
import dev.ccp.spi.store.UsageStore.Totals;
import dev.ccp.spi.usage.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts behind {@link Quota}, kept so that asking for a quota costs no disk access on the hot
 * path: the current minute in memory; today and this month as read from the store once, plus every
 * write since; plus, per hour, the events recorded but not yet written. Reloaded from the store when
 * the day or month turns and once a minute, to see what other processes on the same home wrote.
 */
final class QuotaCounter {

    static final Duration RELOAD_AFTER = Duration.ofMinutes(1);

    /** The UTC day and month a moment falls in. */
    record Windows(Instant dayStart, Instant dayEnd, Instant monthStart, Instant monthEnd) {

        static Windows of(Instant now) {
            ZonedDateTime day = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
            ZonedDateTime month = day.withDayOfMonth(1);
            return new Windows(day.toInstant(), day.plusDays(1).toInstant(), month.toInstant(), month.plusMonths(1).toInstant());
        }
    }

    private long minuteStart = Long.MIN_VALUE;
    private long[] minute = new long[3];
    /** Hour start (epoch ms) → requests, tokens in, tokens out of events recorded but not yet written. */
    private final Map<Long, long[]> unwritten = new HashMap<>();
    private Windows loadedFor;
    private Instant loadedAt;
    private long[] day;
    private long[] month;

    synchronized void recorded(UsageEvent e) {
        long eventMinute = Math.floorDiv(e.ts().toEpochMilli(), 60_000L);
        if (eventMinute > minuteStart) {
            minuteStart = eventMinute;
            minute = new long[3];
        }
        if (eventMinute == minuteStart) {
            add(minute, e, 1);
        }
        add(unwritten.computeIfAbsent(RollupTable.hourOf(e.ts().toEpochMilli()), h -> new long[3]), e, 1);
    }

    /** The events are in the store now: they move from the unwritten counts to the loaded ones. */
    synchronized void written(List<UsageEvent> events) {
        for (UsageEvent e : events) {
            long hour = RollupTable.hourOf(e.ts().toEpochMilli());
            long[] counts = unwritten.get(hour);
            if (counts != null) {
                add(counts, e, -1);
                if (counts[0] <= 0) {
                    unwritten.remove(hour);
                }
            }
            if (loadedFor != null) {
                if (within(e.ts(), loadedFor.dayStart(), loadedFor.dayEnd())) {
                    add(day, e, 1);
                }
                if (within(e.ts(), loadedFor.monthStart(), loadedFor.monthEnd())) {
                    add(month, e, 1);
                }
            }
        }
    }

    /** Whether today's and this month's stored totals must be read (again) before {@link #quota}. */
    synchronized boolean needsLoad(Instant now) {
        return loadedFor == null || !loadedFor.equals(Windows.of(now)) || !now.isBefore(loadedAt.plus(RELOAD_AFTER));
    }

    /** What the store held for the windows of {@code now}; the caller keeps writes out meanwhile. */
    synchronized void loaded(Instant now, Windows windows, Totals storedDay, Totals storedMonth) {
        loadedFor = windows;
        loadedAt = now;
        day = new long[] {storedDay.requests(), storedDay.tokensIn(), storedDay.tokensOut()};
        month = new long[] {storedMonth.requests(), storedMonth.tokensIn(), storedMonth.tokensOut()};
    }

    /** The quota at {@code now}, from what was last loaded (see {@link #needsLoad}). */
    synchronized Quota quota(Instant now) {
        Windows windows = Windows.of(now);
        long[] today = windows.equals(loadedFor) ? day.clone() : new long[3];
        long[] thisMonth = windows.equals(loadedFor) ? month.clone() : new long[3];
        for (Map.Entry<Long, long[]> hour : unwritten.entrySet()) {
            Instant start = Instant.ofEpochMilli(hour.getKey());
            if (within(start, windows.dayStart(), windows.dayEnd())) {
                sum(today, hour.getValue());
            }
            if (within(start, windows.monthStart(), windows.monthEnd())) {
                sum(thisMonth, hour.getValue());
            }
        }
        long[] thisMinute = Math.floorDiv(now.toEpochMilli(), 60_000L) == minuteStart ? minute : new long[3];
        return new Quota(now, counts(thisMinute), counts(today), counts(thisMonth));
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    private static void add(long[] counts, UsageEvent e, int sign) {
        counts[0] += sign;
        counts[1] += sign * e.tokensIn();
        counts[2] += sign * e.tokensOut();
    }

    private static void sum(long[] into, long[] counts) {
        for (int i = 0; i < into.length; i++) {
            into[i] += counts[i];
        }
    }

    private static Counts counts(long[] c) {
        return new Counts(c[0], c[1], c[2]);
    }
}
