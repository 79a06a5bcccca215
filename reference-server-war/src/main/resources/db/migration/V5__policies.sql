-- Policy packs: every published version of an org's policy per channel, and the signed pack each
-- channel serves now. The head row is what clients poll; its etag changes with every publish and
-- every re-signing, so "has anything changed" is one primary-key read.

create table policy_versions (
    id             varchar(120)   primary key,
    org_id         varchar(40)    not null references orgs (id),
    channel        varchar(8)     not null,
    version        bigint         not null,
    document       varchar(200000) not null,
    digest         varchar(64)    not null,
    published_by   varchar(320)   not null,
    published_at   timestamp      not null,
    promoted_from  bigint,
    constraint uq_policy_version unique (org_id, channel, version)
);

create table policy_heads (
    id          varchar(60)     primary key,
    org_id      varchar(40)     not null references orgs (id),
    channel     varchar(8)      not null,
    version     bigint          not null,
    etag        varchar(80)     not null,
    pack        varchar(400000) not null,
    issued_at   timestamp       not null,
    expires_at  timestamp       not null
);
