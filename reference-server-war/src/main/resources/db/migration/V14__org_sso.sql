-- Single sign-on per org (org.control.SingleSignOn): the org's own OpenID provider and the email
-- domains it covers (each domain belongs to one org), whether the org enforces it, and the one owner
-- who may still come in another way when the provider is down. A sign-in through it carries a nonce.
create table org_sso (
    org_id          varchar(40)   primary key references orgs (id),
    kind            varchar(8)    not null,
    issuer          varchar(400)  not null,
    client_id       varchar(200)  not null,
    client_secret   varchar(400)  not null,
    enforced        boolean       not null,
    break_glass     varchar(40)   references users (id),
    updated_at      timestamp     not null
);

create table sso_domains (
    domain  varchar(253)  primary key,
    org_id  varchar(40)   not null references orgs (id)
);
create index ix_sso_domains_org on sso_domains (org_id);

alter table signin_attempts add column nonce varchar(64);
