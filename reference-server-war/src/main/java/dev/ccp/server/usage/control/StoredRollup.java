package dev.ccp.server.usage.control;

import java.time.Instant;

/** One stored rollup row of one seat, as the health views read it. */
public record StoredRollup(String seat, String model, Instant hour, long requests, long errors, long rateLimited,
        long offloaded, long tokensIn, long tokensOut, long[] histogram) {
}
