-- The provisioner's apps (desired state), their revisions and rollouts, and the instances the
-- reconciler records and observes (issue 9).

-- One row per app. spec and status are JSON documents (the domain's AppSpec and AppStatus, written
-- by persistence's hand mappers); name is unique across Orchestry.
CREATE TABLE app (
    name         VARCHAR(63)  PRIMARY KEY,
    project      VARCHAR(63)  NOT NULL,
    labels       JSONB        NOT NULL DEFAULT '{}',
    spec         JSONB        NOT NULL,
    generation   BIGINT       NOT NULL,
    revision     BIGINT       NOT NULL,
    stopped      BOOLEAN      NOT NULL DEFAULT FALSE,
    deleting     BOOLEAN      NOT NULL DEFAULT FALSE,
    restarted_at TIMESTAMPTZ,
    create_time  TIMESTAMPTZ  NOT NULL,
    update_time  TIMESTAMPTZ  NOT NULL,
    version      BIGINT       NOT NULL,
    status       JSONB        NOT NULL
);
CREATE INDEX app_project_idx ON app (project, name);

-- What ran: the spec of every revision, the last 20 per app kept (older ones are deleted when a new
-- one is written). Removed with the app.
CREATE TABLE app_revision (
    app         VARCHAR(63) NOT NULL REFERENCES app (name) ON DELETE CASCADE,
    number      BIGINT      NOT NULL,
    spec        JSONB       NOT NULL,
    create_time TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app, number)
);

-- Why the replicas changed (ScaleApp's reason), for the history; kept with the deployments.
CREATE TABLE app_scale (
    id          BIGSERIAL   PRIMARY KEY,
    app         VARCHAR(63) NOT NULL,
    from_replicas INT       NOT NULL,
    to_replicas INT         NOT NULL,
    reason      TEXT        NOT NULL,
    create_time TIMESTAMPTZ NOT NULL
);
CREATE INDEX app_scale_app_idx ON app_scale (app, id DESC);

-- Rollouts; they outlive their app (the history).
CREATE TABLE deployment (
    id               VARCHAR(128) PRIMARY KEY,
    app              VARCHAR(63) NOT NULL,
    project          VARCHAR(63) NOT NULL,
    from_revision    BIGINT      NOT NULL,
    to_revision      BIGINT      NOT NULL,
    state            VARCHAR(16) NOT NULL,
    strategy         VARCHAR(16) NOT NULL,
    trigger          VARCHAR(16) NOT NULL,
    message          TEXT        NOT NULL DEFAULT '',
    updated_replicas INT         NOT NULL DEFAULT 0,
    desired_replicas INT         NOT NULL DEFAULT 0,
    create_time      TIMESTAMPTZ NOT NULL,
    start_time       TIMESTAMPTZ,
    end_time         TIMESTAMPTZ
);
CREATE INDEX deployment_app_time_idx ON deployment (app, create_time DESC, id DESC);
CREATE INDEX deployment_time_idx ON deployment (create_time DESC, id DESC);

-- The number n of orchestry-<app>-<revision>-<n>. Not removed with the app: a new app of the same
-- name continues the count, so an instance id is never used twice (a workload an earlier app of that
-- name left behind can never be taken for one of the new app's).
CREATE TABLE app_ordinal (
    app  VARCHAR(63) PRIMARY KEY,
    next BIGINT      NOT NULL
);

-- One replica; written by the reconciler only.
CREATE TABLE instance (
    id               VARCHAR(128) PRIMARY KEY,
    app              VARCHAR(63)  NOT NULL,
    project          VARCHAR(63)  NOT NULL,
    revision         BIGINT       NOT NULL,
    node_name        VARCHAR(63)  NOT NULL,
    driver_kind      VARCHAR(16)  NOT NULL,
    host             VARCHAR(255) NOT NULL DEFAULT '',
    ports            JSONB        NOT NULL DEFAULT '[]',
    state            VARCHAR(16)  NOT NULL,
    health           VARCHAR(16)  NOT NULL,
    restart_count    INT          NOT NULL DEFAULT 0,
    start_time       TIMESTAMPTZ,
    healthy_since    TIMESTAMPTZ,
    usage_cpu_millis BIGINT       NOT NULL DEFAULT 0,
    usage_memory_bytes BIGINT     NOT NULL DEFAULT 0,
    last_error       TEXT         NOT NULL DEFAULT '',
    runtime_id       VARCHAR(255) NOT NULL DEFAULT '',
    retiring         BOOLEAN      NOT NULL DEFAULT FALSE,
    create_time      TIMESTAMPTZ  NOT NULL,
    update_time      TIMESTAMPTZ  NOT NULL,
    resource_version BIGINT       NOT NULL
);
CREATE INDEX instance_app_idx ON instance (app, id);
CREATE INDEX instance_node_idx ON instance (node_name, id);

-- Resource versions, as in the registry: a one-row counter taken inside the writing transaction;
-- its row lock is held until commit, so versions commit in order on every replica and a reader
-- that has seen version v has seen everything up to v.
CREATE TABLE resource_version (
    id    BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    value BIGINT  NOT NULL
);
INSERT INTO resource_version (value) VALUES (0);

-- The transactional outbox of instance changes that WatchInstances replays: one row per change,
-- written in the transaction of the change, with the instance as it is after it (as it was, for a
-- deletion). Usage-only updates write none.
CREATE TABLE instance_event (
    resource_version BIGINT      PRIMARY KEY,
    change_type      VARCHAR(16) NOT NULL,
    instance_id      VARCHAR(128) NOT NULL,
    app              VARCHAR(63) NOT NULL,
    project          VARCHAR(63) NOT NULL,
    instance         JSONB       NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL
);
