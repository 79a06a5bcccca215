-- Sign-ins through an identity provider (identity.control.SignInAttempts): between sending a person
-- to the provider and their coming back, what to resume, stored under the hash of the OAuth state
-- so that any node can finish it, once.
create table signin_attempts (
    id          varchar(64)   primary key,
    provider    varchar(16)   not null,
    verifier    varchar(128)  not null,
    purpose     varchar(16)   not null,
    resume      varchar(2000) not null,
    email       varchar(320),
    github      varchar(64),
    verified    boolean       not null,
    expires_at  timestamp     not null
);
create index ix_signin_attempts_expires on signin_attempts (expires_at);
