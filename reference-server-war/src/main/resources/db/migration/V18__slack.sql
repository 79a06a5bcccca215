-- The Slack app (slack.control). A Slack workspace ("team") that installed the app is connected to
-- one CCP org; its bot token is kept here so that every node can post, and is never shown or logged.
create table slack_teams (
    team_id       varchar(32)   primary key,
    team_name     varchar(200)  not null,
    org_id        varchar(40)   not null references orgs (id),
    app_id        varchar(32),
    bot_user_id   varchar(32),
    bot_token     varchar(512)  not null,
    scopes        varchar(1000),
    installed_by  varchar(40)   not null references users (id),
    installed_at  timestamp     not null
);
create index ix_slack_teams_org on slack_teams (org_id);

-- A Slack user who proved, by signing in on the web, which CCP account they are.
create table slack_links (
    team_id     varchar(32)  not null references slack_teams (team_id) on delete cascade,
    slack_user  varchar(32)  not null,
    user_id     varchar(40)  not null references users (id),
    linked_at   timestamp    not null,
    primary key (team_id, slack_user)
);

-- Single-use secrets handed out by the app, kept as hashes until used or expired: `link` (from
-- `/ccp link`, for a Slack user) and `install` (the OAuth state of an install an owner or admin began).
create table slack_grants (
    id          varchar(64)  primary key,
    kind        varchar(8)   not null,
    team_id     varchar(32),
    slack_user  varchar(32),
    org_id      varchar(40),
    user_id     varchar(40),
    expires_at  timestamp    not null,
    used_at     timestamp
);
create index ix_slack_grants_expiry on slack_grants (expires_at);

-- The workspace `/ccp run RECIPE` uses in a channel when it names none.
create table slack_channels (
    team_id     varchar(32)   not null references slack_teams (team_id) on delete cascade,
    channel_id  varchar(32)   not null,
    workspace   varchar(200)  not null,
    set_by      varchar(40)   not null references users (id),
    set_at      timestamp     not null,
    primary key (team_id, channel_id)
);

-- The one message that shows a run in a channel, kept current by whichever node takes its lease
-- first: posted by the bot (`ts`) or, where the bot may not post, through the command's response_url
-- (Slack allows a few uses of one within 30 minutes). `shown_seq` is the run's event count the
-- message shows; it is due again once the run moved on and `due_at` (the coalescing delay, or a
-- Retry-After from Slack) has passed.
create table slack_messages (
    run_id          varchar(40)    primary key references runs (id),
    team_id         varchar(32)    not null,
    channel_id      varchar(32)    not null,
    run_url         varchar(1000)  not null,
    ts              varchar(32),
    response_url    varchar(1000),
    response_uses   integer        not null,
    response_until  timestamp,
    shown_seq       bigint         not null,
    due_at          timestamp      not null,
    lease_until     timestamp,
    failures        integer        not null,
    closed          boolean        not null
);
create index ix_slack_messages_due on slack_messages (closed, due_at);

-- Answers to send to a response_url after the request was acknowledged (a refused button press).
create table slack_outbox (
    id           varchar(40)     primary key,
    url          varchar(1000)   not null,
    body         varchar(16000)  not null,
    due_at       timestamp       not null,
    lease_until  timestamp,
    attempts     integer         not null
);
create index ix_slack_outbox_due on slack_outbox (due_at);
