-- Ingest now keeps 6-hour sums per seat and model in its own transaction, adding what each batch
-- changed. They replace three tables: the per-model sums, the seat presence (a seat stands behind a
-- bucket exactly when it has sums there) and the marks of buckets to recompute. Recomputing a marked
-- bucket from its rows cost in proportion to the size of the org, on every batch; adding a batch's
-- changes costs in proportion to the batch, and no two seats write the same sums.
create table usage_bucket_sums (
    org_id       varchar(40)  not null references orgs (id),
    bucket_start timestamp    not null,
    model        varchar(64)  not null,
    seat         varchar(40)  not null,
    requests     bigint       not null,
    errors       bigint       not null,
    rate_limited bigint       not null,
    offloaded    bigint       not null,
    tokens_in    bigint       not null,
    tokens_out   bigint       not null,
    h0 bigint not null, h1 bigint not null, h2 bigint not null, h3 bigint not null, h4 bigint not null,
    h5 bigint not null, h6 bigint not null, h7 bigint not null, h8 bigint not null, h9 bigint not null,
    primary key (org_id, bucket_start, model, seat)
);

-- Every bucket with usage has seat presence or a mark (or both), so this covers every row.
insert into usage_bucket_sums (org_id, bucket_start, model, seat, requests, errors, rate_limited, offloaded,
                               tokens_in, tokens_out, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9)
    select r.org_id, b.bucket_start, r.model, r.seat, sum(r.requests), sum(r.errors), sum(r.rate_limited),
           sum(r.offloaded), sum(r.tokens_in), sum(r.tokens_out), sum(r.h0), sum(r.h1), sum(r.h2), sum(r.h3),
           sum(r.h4), sum(r.h5), sum(r.h6), sum(r.h7), sum(r.h8), sum(r.h9)
    from (select org_id, bucket_start from usage_seat_buckets
          union
          select org_id, bucket_start from usage_stale_buckets) b
    join usage_rollups r on r.org_id = b.org_id and r.hour_start >= b.bucket_start
                        and r.hour_start < b.bucket_start + interval '6' hour
    group by r.org_id, b.bucket_start, r.model, r.seat;

drop table usage_model_buckets;
drop table usage_seat_buckets;
drop table usage_stale_buckets;
