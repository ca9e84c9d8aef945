-- Resource versions, as in the registry and the provisioner: a one-row counter taken inside the
-- writing transaction; its row lock is held until commit, so versions commit in order on every
-- replica and a reader that has seen version v has seen everything up to v. Every write (route,
-- revision, status) takes it first, which also serializes the route conflict checks and the
-- revision numbers (max + 1).
CREATE TABLE resource_version (
    id    BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    value BIGINT  NOT NULL
);
INSERT INTO resource_version (value) VALUES (0);

-- Routes: every string validated (RouteValidator) before it is stored. The TLS private key is
-- sealed (AES-GCM, the route id as associated data) and never read back for a client.
CREATE TABLE route (
    id                  VARCHAR(32)    PRIMARY KEY,
    app                 VARCHAR(63)    NOT NULL,
    project             VARCHAR(63)    NOT NULL,
    hosts               VARCHAR(253)[] NOT NULL,
    path_prefix         VARCHAR(256)   NOT NULL,
    strip_prefix        BOOLEAN        NOT NULL,
    port_name           VARCHAR(63)    NOT NULL,
    tls_certificate_pem TEXT,
    tls_key_sealed      BYTEA,
    tls_redirect_http   BOOLEAN        NOT NULL DEFAULT FALSE,
    tls_expire_time     TIMESTAMPTZ,
    load_balancing      VARCHAR(16)    NOT NULL,
    connect_timeout_ms  BIGINT,
    read_timeout_ms     BIGINT,
    is_default          BOOLEAN        NOT NULL,
    create_time         TIMESTAMPTZ    NOT NULL,
    update_time         TIMESTAMPTZ    NOT NULL,
    version             BIGINT         NOT NULL,
    resource_version    BIGINT         NOT NULL
);
CREATE INDEX route_app_idx ON route (app, id);
CREATE INDEX route_project_idx ON route (project, id);
-- at most one default route, whatever the checks above it miss
CREATE UNIQUE INDEX route_one_default ON route (is_default) WHERE is_default;

-- Every rendering of nginx.conf and what became of it; numbers are max + 1 under the counter lock.
CREATE TABLE config_revision (
    id          VARCHAR(32) PRIMARY KEY,
    number      BIGINT      NOT NULL UNIQUE,
    config      TEXT        NOT NULL,
    checksum    VARCHAR(64) NOT NULL,
    outcome     VARCHAR(32) NOT NULL,
    error       TEXT        NOT NULL,
    trigger     VARCHAR(16) NOT NULL,
    reason      TEXT        NOT NULL,
    create_time TIMESTAMPTZ NOT NULL,
    finish_time TIMESTAMPTZ
);
CREATE INDEX config_revision_outcome_idx ON config_revision (outcome, number);

-- The transactional outbox WatchProxyEvents replays: one row per route change, revision write and
-- nginx state change, written in the transaction of the change. json: the route (without its key),
-- the revision (without its config) or the status, as it is after the change (as it was, for a
-- deleted route).
CREATE TABLE proxy_event (
    resource_version BIGINT      PRIMARY KEY,
    kind             VARCHAR(16) NOT NULL,
    type             VARCHAR(16) NOT NULL,
    json             JSONB       NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL
);
