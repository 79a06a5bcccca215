-- The GitHub reviewer bot (github.control). An installation of the GitHub App is connected to one
-- CCP org by an owner or admin of it; that org's prod policy reviews its pull requests.
create table github_installations (
    id            bigint        primary key,
    account       varchar(100)  not null,
    org_id        varchar(40)   references orgs (id),
    connected_by  varchar(40)   references users (id),
    connected_at  timestamp,
    created_at    timestamp     not null,
    deleted_at    timestamp
);
create index ix_github_installations_org on github_installations (org_id);

-- Webhook deliveries already taken, by X-GitHub-Delivery: a redelivery is acknowledged and ignored.
create table github_deliveries (
    id           varchar(64)  primary key,
    received_at  timestamp    not null
);
create index ix_github_deliveries_received on github_deliveries (received_at);

-- The work the webhooks leave: one review of one pull request at one head commit. Any node takes a
-- due job by a conditional update that sets its lease; a pull request has one job running at a time.
create table github_jobs (
    id               varchar(40)    primary key,
    installation_id  bigint         not null,
    repo             varchar(200)   not null,
    pull_number      integer        not null,
    head_sha         varchar(64)    not null,
    state            varchar(12)    not null,
    attempts         integer        not null,
    not_before       timestamp      not null,
    lease_until      timestamp,
    message          varchar(2000),
    created_at       timestamp      not null,
    updated_at       timestamp      not null
);
create index ix_github_jobs_due on github_jobs (state, not_before);
create index ix_github_jobs_pull on github_jobs (repo, pull_number, state);

-- What a review of one head commit has done so far, so that a job that stops half way (a rate
-- limit, a restart) goes on from there: one check run per head commit, annotations sent in
-- batches, at most one review per push.
create table github_reviews (
    repo              varchar(200)  not null,
    pull_number       integer       not null,
    head_sha          varchar(64)   not null,
    check_run_id      bigint,
    annotations_sent  integer       not null,
    review_done       boolean       not null,
    completed         boolean       not null,
    primary key (repo, pull_number, head_sha)
);

-- Each installation's budget for writes to GitHub, shared by every node, and a pause GitHub asked for.
create table github_budgets (
    installation_id  bigint     primary key,
    window_start     timestamp  not null,
    writes           integer    not null,
    paused_until     timestamp
);
