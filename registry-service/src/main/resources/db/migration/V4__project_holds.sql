-- Holds on a project (issue 10): what another service keeps in it, e.g. "database" while the
-- provisioner has the project's PostgreSQL. DeleteProject is refused while any remains, unless
-- forced. A hold goes with its project (and so with the project's organization).
CREATE TABLE project_hold (
    project    VARCHAR(63) NOT NULL REFERENCES project (name) ON DELETE CASCADE,
    holder     VARCHAR(31) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project, holder)
);
