-- Everything the registry keeps beyond a node's registration: what a node reports (usage), what the
-- provisioner placed on it (allocated), its drain deadline, its encrypted credentials, the resource
-- version that orders watch events, the record of every status transition, and the tenants.

ALTER TABLE node
    ADD COLUMN drain_deadline         TIMESTAMPTZ,
    ADD COLUMN credentials            BYTEA,
    ADD COLUMN usage_cpu_millis       BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN usage_memory_bytes     BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN usage_disk_bytes       BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN usage_workloads        INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN allocated_cpu_millis   BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN allocated_memory_bytes BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN allocated_disk_bytes   BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN allocated_workloads    INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN resource_version       BIGINT  NOT NULL DEFAULT 0;

-- One counter for every change a watcher sees (node added, modified, deleted).
CREATE SEQUENCE node_resource_version;

CREATE TABLE node_event (
    id              BIGSERIAL    PRIMARY KEY,
    node_name       VARCHAR(63)  NOT NULL,
    previous_status VARCHAR(16),
    status          VARCHAR(16)  NOT NULL,
    scheduling_mode VARCHAR(16)  NOT NULL,
    reason          VARCHAR(256) NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX node_event_node_idx ON node_event (node_name, id);

CREATE TABLE organization (
    name         VARCHAR(63)  PRIMARY KEY,
    display_name VARCHAR(256) NOT NULL DEFAULT '',
    labels       JSONB        NOT NULL DEFAULT '{}'::jsonb,
    created_at   TIMESTAMPTZ  NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL,
    version      BIGINT       NOT NULL
);

CREATE TABLE project (
    name         VARCHAR(63)  PRIMARY KEY,
    organization VARCHAR(63)  NOT NULL REFERENCES organization (name) ON DELETE CASCADE,
    display_name VARCHAR(256) NOT NULL DEFAULT '',
    labels       JSONB        NOT NULL DEFAULT '{}'::jsonb,
    created_at   TIMESTAMPTZ  NOT NULL,
    version      BIGINT       NOT NULL
);
CREATE INDEX project_organization_idx ON project (organization, name);
