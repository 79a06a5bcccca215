package dev.ccp.server.usage.control;

import dev.ccp.server.platform.Csv;
import dev.ccp.spi.wire.HealthCell;
import dev.ccp.spi.wire.HealthSeries;
import dev.ccp.spi.wire.ModelHealthResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The model health view as CSV (RFC 4180): a header row, then one row per model and bucket and one
 * per bucket for all models together. Suppressed rows say so and leave the figures empty; a bucket
 * no usage reached leaves them empty too, but is not suppressed.
 */
public final class HealthCsv {

    public static final String HEADER = "model,bucket_start,suppressed,requests,error_rate,rate_limited_share,p50_ms,p95_ms,tokens_in,tokens_out,offload_share";

    private HealthCsv() {
    }

    public static String render(ModelHealthResponse health) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        List<HealthSeries> series = new ArrayList<>(health.models());
        series.add(health.all());
        for (HealthSeries s : series) {
            for (HealthCell c : s.buckets()) {
                csv.append(Csv.field(s.model())).append(',').append(c.start()).append(',').append(c.suppressed());
                for (Object value : new Object[] {c.requests(), c.errorRate(), c.rateLimitedShare(), c.p50Ms(), c.p95Ms(),
                        c.tokensIn(), c.tokensOut(), c.offloadShare()}) {
                    csv.append(',').append(value == null ? "" : value);
                }
                csv.append("\r\n");
            }
        }
        return csv.toString();
    }
}
