-- Runs (runs.control.Runs): the steps a coding tool proposes in a git workspace, each checked
-- against the org's policy and, where it asks, decided by a person; and the numbered events people
-- follow. A step's decision is written once: the update that sets it requires it to be unset, so of
-- two racing decisions exactly one changes the row.
create table runs (
    id                varchar(40)   primary key,
    org_id            varchar(40)   not null references orgs (id),
    title             varchar(200)  not null,
    state             varchar(16)   not null,
    approval          varchar(8)    not null,
    workspace_name    varchar(200)  not null,
    workspace_root    varchar(1024),
    workspace_branch  varchar(255),
    workspace_head    varchar(64),
    started_by        varchar(40)   not null references users (id),
    source            varchar(16)   not null,
    recipe            varchar(200),
    phase             varchar(200),
    message           varchar(2000),
    commit_hash       varchar(64),
    steps             integer       not null,
    seq               bigint        not null,
    created_at        timestamp     not null,
    updated_at        timestamp     not null
);
create index ix_runs_org on runs (org_id, created_at);

create table run_steps (
    id           varchar(60)     primary key,
    run_id       varchar(40)     not null references runs (id),
    n            integer         not null,
    kind         varchar(8)      not null,
    body         varchar(8000000) not null,
    verdict      varchar(16)     not null,
    reason       varchar(2000)   not null,
    state        varchar(16)     not null,
    decision     varchar(8),
    decided_by   varchar(40)     references users (id),
    decided_at   timestamp,
    decided_via  varchar(16),
    edited       varchar(8000000),
    exit_code    integer,
    output       varchar(65536),
    created_at   timestamp       not null,
    constraint uq_run_step unique (run_id, n)
);

create table run_events (
    run_id   varchar(40)   not null references runs (id),
    seq      bigint        not null,
    at       timestamp     not null,
    type     varchar(16)   not null,
    step     integer,
    state    varchar(16),
    message  varchar(2000),
    primary key (run_id, seq)
);
