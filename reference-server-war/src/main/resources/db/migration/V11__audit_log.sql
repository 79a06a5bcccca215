-- The audit log (audit.control.AuditLog): every change to an org, appended in the change's own
-- transaction, each entry hashed over the one before it. audit_heads holds each org's last entry,
-- locked by the writer, so that two changes at once get consecutive numbers.
create table audit_entries (
    org_id      varchar(40)   not null,
    seq         bigint        not null,
    at          timestamp     not null,
    action      varchar(64)   not null,
    actor_type  varchar(16)   not null,
    actor_id    varchar(320),
    targets     varchar(4000) not null,
    details     varchar(4000) not null,
    prev_hash   varchar(64)   not null,
    hash        varchar(64)   not null,
    primary key (org_id, seq)
);
create index ix_audit_entries_at on audit_entries (org_id, at);

create table audit_heads (
    org_id    varchar(40)  primary key,
    seq       bigint       not null,
    hash      varchar(64)  not null
);
