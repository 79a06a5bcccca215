-- Signed checkpoints of the audit log (audit.control.AuditLog): the server's Ed25519 signature,
-- with a key of the audit ring, over an org's entry number and hash at a moment. Exports carry
-- them, so that a rewritten chain is caught offline, and pruning keeps the one that anchors the
-- first entry it keeps.
create table audit_checkpoints (
    org_id  varchar(40)   not null,
    seq     bigint        not null,
    hash    varchar(64)   not null,
    at      timestamp     not null,
    jws     varchar(2000) not null,
    primary key (org_id, seq)
);
create index ix_audit_checkpoints_at on audit_checkpoints (at);
