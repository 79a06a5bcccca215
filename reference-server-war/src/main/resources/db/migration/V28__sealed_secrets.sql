-- Slack bot tokens and single sign-on client secrets are stored sealed (AES-GCM, base64url), about
-- a third longer than the values themselves, which are at most 512 and 400 characters.
alter table slack_teams alter column bot_token set data type varchar(1024);
alter table org_sso alter column client_secret set data type varchar(1024);
