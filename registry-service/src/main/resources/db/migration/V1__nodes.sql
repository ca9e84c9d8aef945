-- Nodes: where workloads can run. One row per node; heartbeats are kept in memory and
-- flushed into last_heartbeat_at in batches (issue 3).
CREATE TABLE node (
    name                VARCHAR(63)  PRIMARY KEY,
    driver_kind         VARCHAR(16)  NOT NULL,
    endpoint            VARCHAR(512) NOT NULL DEFAULT '',
    region              VARCHAR(63)  NOT NULL DEFAULT '',
    provider            VARCHAR(63)  NOT NULL DEFAULT '',
    labels              JSONB        NOT NULL DEFAULT '{}'::jsonb,
    capacity_cpu_millis BIGINT       NOT NULL CHECK (capacity_cpu_millis > 0),
    capacity_memory_bytes BIGINT     NOT NULL CHECK (capacity_memory_bytes > 0),
    capacity_disk_bytes BIGINT       NOT NULL DEFAULT 0 CHECK (capacity_disk_bytes >= 0),
    reserved_cpu_millis BIGINT       NOT NULL DEFAULT 0 CHECK (reserved_cpu_millis >= 0),
    reserved_memory_bytes BIGINT     NOT NULL DEFAULT 0 CHECK (reserved_memory_bytes >= 0),
    reserved_disk_bytes BIGINT       NOT NULL DEFAULT 0 CHECK (reserved_disk_bytes >= 0),
    status              VARCHAR(16)  NOT NULL,
    scheduling_mode     VARCHAR(16)  NOT NULL,
    independent         BOOLEAN      NOT NULL DEFAULT FALSE,
    last_heartbeat_at   TIMESTAMPTZ,
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL,
    version             BIGINT       NOT NULL
);

CREATE INDEX node_status_idx ON node (status);
CREATE INDEX node_region_idx ON node (region);
CREATE INDEX node_labels_idx ON node USING GIN (labels);
