-- Slack requests already seen (slack.control.SlackRequests), by the hash of their signature, for as
-- long as their timestamp would still be accepted: a request replayed to any node finds its row.
create table slack_replays (
    id       varchar(64)  primary key,
    seen_at  timestamp    not null
);
create index ix_slack_replays_seen on slack_replays (seen_at);
