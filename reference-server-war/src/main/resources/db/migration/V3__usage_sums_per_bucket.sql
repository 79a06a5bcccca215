-- Ingest no longer adds to pre-aggregated sums in its own transaction: it marks the 6-hour buckets
-- it wrote, and a fold recomputes a marked bucket from the rows, in the background and before each
-- health read. The sums are kept per 6-hour bucket, what the 7-day view reads; the 24-hour view
-- sums the rows of its day directly.
create table usage_model_buckets (
    org_id       varchar(40)  not null references orgs (id),
    model        varchar(64)  not null,
    bucket_start timestamp    not null,
    requests     bigint       not null,
    errors       bigint       not null,
    rate_limited bigint       not null,
    offloaded    bigint       not null,
    tokens_in    bigint       not null,
    tokens_out   bigint       not null,
    h0 bigint not null, h1 bigint not null, h2 bigint not null, h3 bigint not null, h4 bigint not null,
    h5 bigint not null, h6 bigint not null, h7 bigint not null, h8 bigint not null, h9 bigint not null,
    primary key (org_id, bucket_start, model)
);

-- Buckets whose sums and seat presence lag behind their rows; the mark commits with the rows.
create table usage_stale_buckets (
    org_id       varchar(40)  not null references orgs (id),
    bucket_start timestamp    not null,
    marks        bigint       not null,
    primary key (org_id, bucket_start)
);

-- Every bucket that has usage is folded once into the new sums.
insert into usage_stale_buckets (org_id, bucket_start, marks) select distinct org_id, bucket_start, 1 from usage_seat_buckets;

drop table usage_model_hours;
