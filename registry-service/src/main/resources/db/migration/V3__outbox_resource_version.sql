-- Two replicas on one database (issue 8).
--
-- Resource versions come from a one-row counter taken inside the writing transaction: the row lock
-- is held until commit, so no change with a higher version commits before one with a lower version,
-- on any replica, and a reader that has seen version v has seen everything up to v.
CREATE TABLE resource_version (
    id    BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    value BIGINT  NOT NULL
);
INSERT INTO resource_version (value)
SELECT GREATEST((SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM node_resource_version),
                (SELECT COALESCE(max(resource_version), 0) FROM node));
DROP SEQUENCE node_resource_version;

-- node_event is the transactional outbox: every change a watcher sees is a row here, written in the
-- transaction of the change, with its resource version, its type and the node as it is after it
-- (as it was, for a deletion; credentials replaced by a marker). Watch feeds read it by resource
-- version. Rows with transition = false (spec and allocation changes) are not listed as events.
-- Rows from before this migration have no resource version and are never fed.
ALTER TABLE node_event
    ADD COLUMN resource_version BIGINT,
    ADD COLUMN change_type      VARCHAR(16),
    ADD COLUMN node             JSONB,
    ADD COLUMN transition       BOOLEAN NOT NULL DEFAULT TRUE;
CREATE UNIQUE INDEX node_event_resource_version_idx ON node_event (resource_version);
