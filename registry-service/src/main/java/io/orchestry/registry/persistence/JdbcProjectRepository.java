package io.orchestry.registry.persistence;

import io.orchestry.database.failures.Transactions;
import io.micronaut.json.JsonMapper;
import io.orchestry.database.failures.DatabaseFailures;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.NotFoundException;
import io.orchestry.paging.PageRequest;
import io.orchestry.registry.domain.Project;
import io.orchestry.registry.domain.ProjectDeletion;
import io.orchestry.registry.domain.ProjectRepository;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code project} and {@code project_hold} tables; a project's organization must exist, a hold's project too (foreign keys). */
@Singleton
class JdbcProjectRepository implements ProjectRepository {
    static final String KIND = "project";
    private static final String COLUMNS = "name, organization, display_name, labels::text, created_at, version,"
            + " ARRAY(SELECT h.holder FROM project_hold h WHERE h.project = project.name ORDER BY h.holder)";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Transactions transactions;
    private final JsonMapper json;

    JdbcProjectRepository(Transactions transactions, JsonMapper json) {
        this.transactions = transactions;
        this.json = json;
    }

    @Override
    public Project insert(Project project) {
        try {
            return transactions.write(tx -> {
                try (PreparedStatement ps = tx.getConnection().prepareStatement("INSERT INTO project"
                        + " (name, organization, display_name, labels, created_at, version) VALUES (?, ?, ?, ?::jsonb, ?, 1)"
                        + " RETURNING " + COLUMNS)) {
                    ps.setString(1, project.name());
                    ps.setString(2, project.organization());
                    ps.setString(3, project.displayName());
                    ps.setString(4, LabelsColumn.write(json, project.labels()));
                    ps.setTimestamp(5, Timestamp.from(project.createdAt()));
                    return read(ps).get(0);
                }
            });
        } catch (RuntimeException e) {
            if (DatabaseFailures.isDuplicateKey(e)) {
                throw new AlreadyExistsException(KIND, project.name());
            }
            if (FOREIGN_KEY_VIOLATION.equals(DatabaseFailures.sqlState(e))) {
                // the organization is missing, or went away between the caller's check and this insert
                throw new NotFoundException(JdbcOrganizationRepository.KIND, project.organization());
            }
            throw e;
        }
    }

    @Override
    public Optional<Project> find(String name) {
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT " + COLUMNS + " FROM project WHERE name = ?")) {
                ps.setString(1, name);
                return read(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<Project> page(String organization, PageRequest page) {
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT " + COLUMNS + " FROM project"
                    + " WHERE (? = '' OR organization = ?) AND name > ? ORDER BY name LIMIT ?")) {
                ps.setString(1, organization);
                ps.setString(2, organization);
                ps.setString(3, page.after());
                ps.setInt(4, page.fetchSize());
                return read(ps);
            }
        });
    }

    @Override
    public ProjectDeletion delete(String name, String organization, boolean force) {
        return transactions.write(tx -> {
            // the row lock stops a hold from being set (its foreign key check) until this commits
            Optional<Project> project;
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT " + COLUMNS + " FROM project"
                    + " WHERE name = ? AND (? = '' OR organization = ?) FOR UPDATE")) {
                ps.setString(1, name);
                ps.setString(2, organization);
                ps.setString(3, organization);
                project = read(ps).stream().findFirst();
            }
            if (project.isEmpty()) {
                return new ProjectDeletion.Missing();
            }
            if (!project.get().holds().isEmpty() && !force) {
                return new ProjectDeletion.Held(project.get().holds());
            }
            try (PreparedStatement ps = tx.getConnection().prepareStatement("DELETE FROM project WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return new ProjectDeletion.Deleted();
        });
    }

    @Override
    public Project setHold(String project, String holder, boolean held, Instant now) {
        try {
            return transactions.write(tx -> {
                try (PreparedStatement ps = tx.getConnection().prepareStatement(held
                        ? "INSERT INTO project_hold (project, holder, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                        : "DELETE FROM project_hold WHERE project = ? AND holder = ?")) {
                    ps.setString(1, project);
                    ps.setString(2, holder);
                    if (held) {
                        ps.setTimestamp(3, Timestamp.from(now));
                    }
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT " + COLUMNS + " FROM project WHERE name = ?")) {
                    ps.setString(1, project);
                    return read(ps).stream().findFirst().orElseThrow(() -> new NotFoundException(KIND, project));
                }
            });
        } catch (RuntimeException e) {
            if (FOREIGN_KEY_VIOLATION.equals(DatabaseFailures.sqlState(e))) {
                throw new NotFoundException(KIND, project);
            }
            throw e;
        }
    }

    private List<Project> read(PreparedStatement ps) throws SQLException {
        List<Project> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Project(rs.getString(1), rs.getString(2), rs.getString(3), LabelsColumn.read(json, rs.getString(4)),
                        rs.getTimestamp(5).toInstant(), rs.getLong(6), List.of((String[]) rs.getArray(7).getArray())));
            }
        }
        return rows;
    }
}
