-- Invitations to an org (org.control.Invites): to a login (an email or GitHub handle, claimed at
-- that person's next sign-in) or as a link (a single-use random token, kept only as its hash).
create table invites (
    id          varchar(40)  primary key,
    org_id      varchar(40)  not null references orgs (id),
    login       varchar(320),
    token_hash  varchar(64)  unique,
    role        varchar(16)  not null,
    seat        boolean      not null,
    created_by  varchar(40)  not null references users (id),
    created_at  timestamp    not null,
    expires_at  timestamp    not null,
    used_at     timestamp,
    used_by     varchar(40)  references users (id),
    revoked_at  timestamp,
    constraint ck_invite_kind check ((login is null) <> (token_hash is null))
);
create index ix_invites_org on invites (org_id, created_at);
create index ix_invites_login on invites (login);
