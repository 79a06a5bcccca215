-- Runners (runs.control.Runners): machines that carry out runs queued on the server for one
-- workspace of an org. The token is kept only as its hash. A run claimed by a runner names it and
-- the last time it was heard from, so a run whose runner is gone can be failed by any node.
create table runners (
    id            varchar(40)   primary key,
    org_id        varchar(40)   not null references orgs (id),
    workspace     varchar(200)  not null,
    name          varchar(200)  not null,
    token_hash    varchar(64)   not null unique,
    created_by    varchar(40)   not null references users (id),
    created_at    timestamp     not null,
    last_seen_at  timestamp,
    revoked_at    timestamp
);
create index ix_runners_workspace on runners (org_id, workspace);

alter table runs add column runner_id varchar(40) references runners (id);
alter table runs add column heartbeat_at timestamp;
create index ix_runs_queue on runs (org_id, workspace_name, state);

-- One row per org and workspace whose number moves on whenever a run of it is queued or a
-- runner's run ends: waiting claims watch it (ChangeWatch), whichever node moved it.
create table run_queues (
    id   varchar(260) primary key,
    seq  bigint       not null
);
