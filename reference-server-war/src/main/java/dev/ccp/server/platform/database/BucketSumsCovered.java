package dev.ccp.server.platform.database;

import java.util.List;

/**
 * Migration 25: on PostgreSQL, the per-seat 6-hour sums carry every column the 7-day health view
 * reads in their primary key's index ({@code include}), so that view reads one org's week from a
 * few hundred adjacent index pages instead of one table page per row: the rows of an org are spread
 * over the whole table, among every other org's, in the order they arrived. H2 has no such indexes;
 * it serves one node and small fleets.
 */
final class BucketSumsCovered {

    private BucketSumsCovered() {
    }

    static PostgresOnly migration() {
        return new PostgresOnly("25", "usage bucket sums read from their key", List.of(
                "alter table usage_bucket_sums drop constraint usage_bucket_sums_pkey, add constraint usage_bucket_sums_pkey "
                        + "primary key (org_id, bucket_start, model, seat) include (hours, requests, errors, rate_limited, offloaded, "
                        + "tokens_in, tokens_out, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9)"));
    }
}
