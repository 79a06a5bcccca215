-- Billing: the newest provider snapshot of each subscription, the webhook deliveries already
-- processed, and the license state an org's subscriptions put it in.

alter table orgs add column plan_state varchar(32) default 'active' not null;
alter table orgs add column grace_until timestamp;

create table subscriptions (
    id                   varchar(240) primary key,
    provider             varchar(16)  not null,
    provider_id          varchar(200) not null,
    org_id               varchar(40)  not null references orgs (id),
    customer_id          varchar(200),
    buyer                varchar(320),
    status               varchar(32)  not null,
    plan                 varchar(40),
    seats                integer,
    period_start         timestamp,
    period_end           timestamp,
    cancel_at_period_end boolean      not null,
    ends_at              timestamp,
    modified_at          timestamp,
    event_at             timestamp    not null,
    cause                varchar(300) not null,
    updated_at           timestamp    not null
);
create index ix_subscriptions_org on subscriptions (org_id);

-- A delivery is processed once; ids are kept well past the 5-minute window a replay must fall in.
create table billing_events (
    id           varchar(240) primary key,
    type         varchar(64)  not null,
    outcome      varchar(300) not null,
    received_at  timestamp    not null
);
create index ix_billing_events_received on billing_events (received_at);
