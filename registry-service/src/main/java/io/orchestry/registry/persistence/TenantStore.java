package io.orchestry.registry.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import io.orchestry.registry.domain.Organization;
import io.orchestry.registry.domain.Project;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code organization} and {@code project} tables. Duplicate names fail with SQLSTATE 23505. */
@Singleton
public class TenantStore {
    private static final String ORGANIZATION_COLUMNS = "o.name, o.display_name, o.labels::text, "
            + "(SELECT count(*) FROM project p WHERE p.organization = o.name), o.created_at, o.updated_at, o.version";
    private static final String PROJECT_COLUMNS = "name, organization, display_name, labels::text, created_at, version";

    private final JdbcOperations jdbc;
    private final JsonMapper json;

    public TenantStore(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional
    public Organization insertOrganization(Organization organization) {
        jdbc.prepareStatement("INSERT INTO organization (name, display_name, labels, created_at, updated_at, version)"
                + " VALUES (?, ?, ?::jsonb, ?, ?, 1)", ps -> {
            ps.setString(1, organization.name());
            ps.setString(2, organization.displayName());
            ps.setString(3, LabelsColumn.write(json, organization.labels()));
            ps.setTimestamp(4, Timestamp.from(organization.createdAt()));
            ps.setTimestamp(5, Timestamp.from(organization.updatedAt()));
            return ps.executeUpdate();
        });
        return findOrganization(organization.name()).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<Organization> findOrganization(String name) {
        return jdbc.prepareStatement("SELECT " + ORGANIZATION_COLUMNS + " FROM organization o WHERE o.name = ?", ps -> {
            ps.setString(1, name);
            List<Organization> rows = organizations(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        });
    }

    @Transactional(readOnly = true)
    public List<Organization> organizations(String afterName, int limit) {
        return jdbc.prepareStatement("SELECT " + ORGANIZATION_COLUMNS
                + " FROM organization o WHERE o.name > ? ORDER BY o.name LIMIT ?", ps -> {
            ps.setString(1, afterName);
            ps.setInt(2, limit);
            return organizations(ps);
        });
    }

    /** Display name and labels of the organization at {@code version}; false when missing or at another version. */
    @Transactional
    public boolean updateOrganization(String name, long version, String displayName, Map<String, String> labels, Instant now) {
        return jdbc.prepareStatement("UPDATE organization SET display_name = ?, labels = ?::jsonb, updated_at = ?,"
                + " version = version + 1 WHERE name = ? AND version = ?", ps -> {
            ps.setString(1, displayName);
            ps.setString(2, LabelsColumn.write(json, labels));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, name);
            ps.setLong(5, version);
            return ps.executeUpdate() == 1;
        });
    }

    /** Deletes the organization and (by cascade) its projects; false when it was missing. */
    @Transactional
    public boolean deleteOrganization(String name) {
        return jdbc.prepareStatement("DELETE FROM organization WHERE name = ?", ps -> {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        });
    }

    @Transactional
    public Project insertProject(Project project) {
        return jdbc.prepareStatement("INSERT INTO project (name, organization, display_name, labels, created_at, version)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, 1) RETURNING " + PROJECT_COLUMNS, ps -> {
            ps.setString(1, project.name());
            ps.setString(2, project.organization());
            ps.setString(3, project.displayName());
            ps.setString(4, LabelsColumn.write(json, project.labels()));
            ps.setTimestamp(5, Timestamp.from(project.createdAt()));
            return projects(ps).get(0);
        });
    }

    @Transactional(readOnly = true)
    public Optional<Project> findProject(String name) {
        return jdbc.prepareStatement("SELECT " + PROJECT_COLUMNS + " FROM project WHERE name = ?", ps -> {
            ps.setString(1, name);
            List<Project> rows = projects(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        });
    }

    /** Projects in name order after {@code afterName}; of one organization when it is not empty. */
    @Transactional(readOnly = true)
    public List<Project> projects(String organization, String afterName, int limit) {
        return jdbc.prepareStatement("SELECT " + PROJECT_COLUMNS + " FROM project WHERE (? = '' OR organization = ?)"
                + " AND name > ? ORDER BY name LIMIT ?", ps -> {
            ps.setString(1, organization);
            ps.setString(2, organization);
            ps.setString(3, afterName);
            ps.setInt(4, limit);
            return projects(ps);
        });
    }

    /** Deletes the project, of {@code organization} only when that is not empty; false when there was none. */
    @Transactional
    public boolean deleteProject(String name, String organization) {
        return jdbc.prepareStatement("DELETE FROM project WHERE name = ? AND (? = '' OR organization = ?)", ps -> {
            ps.setString(1, name);
            ps.setString(2, organization);
            ps.setString(3, organization);
            return ps.executeUpdate() == 1;
        });
    }

    private List<Organization> organizations(PreparedStatement ps) throws SQLException {
        List<Organization> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Organization(rs.getString(1), rs.getString(2), LabelsColumn.read(json, rs.getString(3)), rs.getInt(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getLong(7)));
            }
        }
        return rows;
    }

    private List<Project> projects(PreparedStatement ps) throws SQLException {
        List<Project> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Project(rs.getString(1), rs.getString(2), rs.getString(3), LabelsColumn.read(json, rs.getString(4)),
                        rs.getTimestamp(5).toInstant(), rs.getLong(6)));
            }
        }
        return rows;
    }


}
