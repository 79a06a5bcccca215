-- A retried refresh gets the answer its first use gave, kept sealed under the presented token
-- (identity.control.SealedAnswer), instead of a new pair that set the first one aside.
alter table refresh_tokens add column answer_sealed varchar(4000);
alter table refresh_tokens drop column superseded;
