-- Where each org's audit log starts (audit.control.AuditLog): 1, or the entry after the checkpoint
-- pruning stopped at. Kept with the head row, apart from the entries, so that the signed head of an
-- export names both ends of the log from the server's own record, and an entry deleted from either
-- end shows.
alter table audit_heads add column first_seq bigint default 1 not null;
