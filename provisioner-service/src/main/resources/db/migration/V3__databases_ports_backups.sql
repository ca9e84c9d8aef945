-- One PostgreSQL per project (issue 10): the database rows (desired state and what the reconciler
-- observed), the node ports they lease, the data kept after a delete with keepData, and backups.

-- One row per project that has a database. The password is sealed (AES-256-GCM, the project bound
-- in as associated data); it is never selected by lists.
CREATE TABLE database_server (
    project          VARCHAR(63)  PRIMARY KEY,
    organization     VARCHAR(63)  NOT NULL,
    engine_version   VARCHAR(8)   NOT NULL,
    node_name        VARCHAR(63)  NOT NULL,
    port             INT          NOT NULL,
    memory_bytes     BIGINT       NOT NULL,
    cpu_millis       BIGINT       NOT NULL,
    storage_bytes    BIGINT       NOT NULL,
    database_name    VARCHAR(63)  NOT NULL,
    username         VARCHAR(63)  NOT NULL,
    sealed_password  BYTEA        NOT NULL,
    backup_schedule  VARCHAR(100) NOT NULL DEFAULT '',
    keep_backups     INT          NOT NULL,
    -- from kept data: a failed creation must not remove it
    from_kept_data   BOOLEAN      NOT NULL DEFAULT FALSE,
    deleting         BOOLEAN      NOT NULL DEFAULT FALSE,
    keep_data        BOOLEAN      NOT NULL DEFAULT FALSE,
    create_time      TIMESTAMPTZ  NOT NULL,
    version          BIGINT       NOT NULL,
    -- written by the reconciler only
    state            VARCHAR(16)  NOT NULL,
    host             VARCHAR(255) NOT NULL DEFAULT '',
    last_error       TEXT         NOT NULL DEFAULT '',
    ready_time       TIMESTAMPTZ,
    restarts         INT          NOT NULL DEFAULT 0,
    last_backup_time TIMESTAMPTZ,
    -- the last time the schedule fired (the next is computed from it, or from create_time)
    last_scheduled_time TIMESTAMPTZ
);

-- A port on a node belongs to at most one database: two creations with port 0 race on this key,
-- and the loser takes the next free port.
CREATE TABLE port_lease (
    node_name   VARCHAR(63) NOT NULL,
    port        INT         NOT NULL,
    project     VARCHAR(63) NOT NULL,
    create_time TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (node_name, port)
);
CREATE INDEX port_lease_project_idx ON port_lease (project);

-- Data left on a node by a delete with keepData: a later create for the project goes back there.
CREATE TABLE database_kept_data (
    project        VARCHAR(63) PRIMARY KEY,
    -- project names are reused after a delete: kept data goes back only to the same organization
    organization   VARCHAR(63) NOT NULL,
    node_name      VARCHAR(63) NOT NULL,
    engine_version VARCHAR(8)  NOT NULL,
    database_name  VARCHAR(63) NOT NULL,
    username       VARCHAR(63) NOT NULL,
    keep_time      TIMESTAMPTZ NOT NULL
);

-- Every backup of a project's database: DUMPING and VERIFYING rows are run by the leader (a row left
-- DUMPING by a provisioner that died is run again), VERIFIED ones count, FAILED ones say why.
-- They outlive the database row (a backup of a deleted database can still be restored elsewhere).
CREATE TABLE database_backup (
    id             VARCHAR(40) PRIMARY KEY,
    project        VARCHAR(63) NOT NULL,
    -- a backup is the organization's: a later project of the same name in another organization never sees it
    organization   VARCHAR(63) NOT NULL,
    state          VARCHAR(16) NOT NULL,
    trigger_kind   VARCHAR(16) NOT NULL,
    engine_version VARCHAR(8)  NOT NULL,
    size_bytes     BIGINT      NOT NULL DEFAULT 0,
    table_count    INT         NOT NULL DEFAULT 0,
    row_count      BIGINT      NOT NULL DEFAULT 0,
    -- table -> rows, as the dump's snapshot held them (what a restore must give back)
    tables         JSONB       NOT NULL DEFAULT '{}',
    error          TEXT        NOT NULL DEFAULT '',
    start_time     TIMESTAMPTZ NOT NULL,
    finish_time    TIMESTAMPTZ
);
CREATE INDEX database_backup_project_idx ON database_backup (project, start_time DESC);
CREATE INDEX database_backup_time_idx ON database_backup (start_time DESC, id);
