-- Identity, orgs and licensing. Portable SQL: the same file runs on H2 and PostgreSQL.

create table users (
    id          varchar(40)  primary key,
    email       varchar(320) unique,
    github      varchar(40)  unique,
    created_at  timestamp    not null
);

create table orgs (
    id              varchar(40)  primary key,
    slug            varchar(64)  not null unique,
    name            varchar(200) not null,
    personal        boolean      not null,
    plan            varchar(40)  not null,
    seats           integer,
    plan_expires_at timestamp,
    grace_days      integer      not null default 7,
    created_at      timestamp    not null
);

create table memberships (
    id            varchar(40)  primary key,
    org_id        varchar(40)  not null references orgs (id),
    user_id       varchar(40)  references users (id),
    pending_login varchar(320),
    role          varchar(16)  not null,
    seat          varchar(40)  unique,
    created_at    timestamp    not null,
    constraint uq_membership_user unique (org_id, user_id),
    constraint uq_membership_pending unique (org_id, pending_login),
    constraint ck_membership_who check (user_id is not null or pending_login is not null)
);
create index ix_memberships_user on memberships (user_id);
create index ix_memberships_pending on memberships (pending_login);

create table license_events (
    id          varchar(40)  primary key,
    org_id      varchar(40)  not null references orgs (id),
    plan        varchar(40)  not null,
    seats       integer,
    expires_at  timestamp,
    cause       varchar(500) not null,
    actor       varchar(100) not null,
    created_at  timestamp    not null
);
create index ix_license_events_org on license_events (org_id, created_at);

create table device_grants (
    id               varchar(40)  primary key,
    device_code_hash varchar(64)  not null unique,
    user_code        varchar(8)   not null,
    client_id        varchar(64)  not null,
    scope            varchar(200),
    requested_org    varchar(64),
    status           varchar(16)  not null,
    interval_seconds integer      not null,
    last_polled_at   timestamp,
    expires_at       timestamp    not null,
    user_id          varchar(40)  references users (id),
    org_id           varchar(40)  references orgs (id),
    created_at       timestamp    not null
);
create index ix_device_grants_user_code on device_grants (user_code, expires_at);

create table token_families (
    id            varchar(40)  primary key,
    user_id       varchar(40)  not null references users (id),
    org_id        varchar(40)  not null references orgs (id),
    client_id     varchar(64)  not null,
    created_at    timestamp    not null,
    revoked_at    timestamp,
    revoke_reason varchar(100)
);

create table refresh_tokens (
    token_hash  varchar(64)  primary key,
    family_id   varchar(40)  not null references token_families (id),
    parent_hash varchar(64),
    created_at  timestamp    not null,
    expires_at  timestamp    not null,
    used_at     timestamp,
    superseded  boolean      default false not null
);
create index ix_refresh_tokens_parent on refresh_tokens (parent_hash);
create index ix_refresh_tokens_family on refresh_tokens (family_id);

create table rate_windows (
    bucket       varchar(200) not null,
    window_start timestamp    not null,
    hits         integer      not null,
    primary key (bucket, window_start)
);
