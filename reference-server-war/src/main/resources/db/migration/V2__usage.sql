-- Minimized usage rollups: one row per (org, seat, model, UTC hour) with the client's cumulative
-- totals and the revision they came with. The latency histogram has one column per fixed bucket.

create table usage_rollups (
    org_id       varchar(40)  not null references orgs (id),
    seat         varchar(40)  not null,
    model        varchar(64)  not null,
    hour_start   timestamp    not null,
    revision     bigint       not null,
    requests     bigint       not null,
    errors       bigint       not null,
    rate_limited bigint       not null,
    offloaded    bigint       not null,
    tokens_in    bigint       not null,
    tokens_out   bigint       not null,
    h0 bigint not null, h1 bigint not null, h2 bigint not null, h3 bigint not null, h4 bigint not null,
    h5 bigint not null, h6 bigint not null, h7 bigint not null, h8 bigint not null, h9 bigint not null,
    received_at  timestamp    not null,
    -- Seat, then hour: ingest locks one seat's rows in a range of hours.
    primary key (org_id, seat, hour_start, model)
);
-- The health views read one org's rows in a time window; model and seat let the seat count come from the index alone.
create index ix_usage_rollups_org_hour on usage_rollups (org_id, hour_start, model, seat);

-- Pre-aggregated at ingest so the health views read sums, not every seat's rows:
-- per (org, model, hour) the totals over all seats, and which seats sent usage of a model in each
-- 6-hour UTC bucket (what k-safety counts for the 7-day view).
create table usage_model_hours (
    org_id       varchar(40)  not null references orgs (id),
    model        varchar(64)  not null,
    hour_start   timestamp    not null,
    requests     bigint       not null,
    errors       bigint       not null,
    rate_limited bigint       not null,
    offloaded    bigint       not null,
    tokens_in    bigint       not null,
    tokens_out   bigint       not null,
    h0 bigint not null, h1 bigint not null, h2 bigint not null, h3 bigint not null, h4 bigint not null,
    h5 bigint not null, h6 bigint not null, h7 bigint not null, h8 bigint not null, h9 bigint not null,
    primary key (org_id, hour_start, model)
);

create table usage_seat_buckets (
    org_id       varchar(40)  not null references orgs (id),
    bucket_start timestamp    not null,
    model        varchar(64)  not null,
    seat         varchar(40)  not null,
    primary key (org_id, bucket_start, model, seat)
);

-- Answers already given to a request with an Idempotency-Key, so a retried request gets the same answer.
create table idempotency_keys (
    org_id      varchar(40)  not null references orgs (id),
    seat        varchar(40)  not null,
    idem_key    varchar(200) not null,
    answer      varchar(400) not null,
    created_at  timestamp    not null,
    primary key (org_id, seat, idem_key)
);

-- k for k-safety: a group is shown only when at least k distinct seats stand behind it.
alter table orgs add column k_safety integer default 5 not null;
alter table orgs add constraint ck_orgs_k_safety check (k_safety >= 3);

-- Browser sessions for the dashboards, stored by the hash of the cookie's secret.
create table web_sessions (
    id_hash     varchar(64)  primary key,
    user_id     varchar(40)  not null references users (id),
    org_id      varchar(40)  not null references orgs (id),
    created_at  timestamp    not null,
    expires_at  timestamp    not null
);
