-- API tokens. The secret is never stored: only its SHA-256, which is what a presented bearer
-- token is looked up by. organization NULL means cluster-wide.
CREATE TABLE api_token (
    id           text PRIMARY KEY,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    organization text,
    secret_hash  bytea       NOT NULL UNIQUE,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_token_organization ON api_token (organization, created_at);

-- One row per mutation, written before the mutation runs (status NULL) and completed with the
-- outcome before the response is sent. No bodies, no query strings: no secret can reach it.
CREATE TABLE audit_record (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL,
    request_id   text        NOT NULL,
    actor        text,
    organization text,
    method       text        NOT NULL,
    path         text        NOT NULL,
    target_type  text        NOT NULL,
    target_id    text,
    status       integer
);
CREATE INDEX audit_record_target_type ON audit_record (target_type, id);
CREATE INDEX audit_record_actor ON audit_record (actor, id);
CREATE INDEX audit_record_at ON audit_record (at);
