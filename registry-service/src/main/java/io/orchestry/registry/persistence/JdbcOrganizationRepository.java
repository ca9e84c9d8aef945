package io.orchestry.registry.persistence;

import io.orchestry.database.failures.Transactions;
import io.micronaut.json.JsonMapper;
import io.orchestry.database.failures.DatabaseFailures;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.paging.PageRequest;
import io.orchestry.registry.domain.Organization;
import io.orchestry.registry.domain.OrganizationRepository;
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

/** The {@code organization} table; deleting one takes its projects with it (ON DELETE CASCADE). */
@Singleton
class JdbcOrganizationRepository implements OrganizationRepository {
    static final String KIND = "organization";
    private static final String COLUMNS = "o.name, o.display_name, o.labels::text, "
            + "(SELECT count(*) FROM project p WHERE p.organization = o.name), o.created_at, o.updated_at, o.version";

    private final Transactions transactions;
    private final JsonMapper json;

    JdbcOrganizationRepository(Transactions transactions, JsonMapper json) {
        this.transactions = transactions;
        this.json = json;
    }

    @Override
    public Organization insert(Organization organization) {
        try {
            return transactions.write(tx -> {
                try (PreparedStatement ps = tx.getConnection().prepareStatement("INSERT INTO organization"
                        + " (name, display_name, labels, created_at, updated_at, version) VALUES (?, ?, ?::jsonb, ?, ?, 1)")) {
                    ps.setString(1, organization.name());
                    ps.setString(2, organization.displayName());
                    ps.setString(3, LabelsColumn.write(json, organization.labels()));
                    ps.setTimestamp(4, Timestamp.from(organization.createdAt()));
                    ps.setTimestamp(5, Timestamp.from(organization.updatedAt()));
                    ps.executeUpdate();
                }
                return find(tx.getConnection(), organization.name()).orElseThrow();
            });
        } catch (RuntimeException e) {
            if (DatabaseFailures.isDuplicateKey(e)) {
                throw new AlreadyExistsException(KIND, organization.name());
            }
            throw e;
        }
    }

    @Override
    public Optional<Organization> find(String name) {
        return transactions.read(tx -> find(tx.getConnection(), name));
    }

    @Override
    public List<Organization> page(PageRequest page) {
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT " + COLUMNS
                    + " FROM organization o WHERE o.name > ? ORDER BY o.name LIMIT ?")) {
                ps.setString(1, page.after());
                ps.setInt(2, page.fetchSize());
                return read(ps);
            }
        });
    }

    @Override
    public boolean update(String name, long version, String displayName, Map<String, String> labels, Instant now) {
        return transactions.write(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("UPDATE organization SET display_name = ?,"
                    + " labels = ?::jsonb, updated_at = ?, version = version + 1 WHERE name = ? AND version = ?")) {
                ps.setString(1, displayName);
                ps.setString(2, LabelsColumn.write(json, labels));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, name);
                ps.setLong(5, version);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return transactions.write(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("DELETE FROM organization WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private Optional<Organization> find(java.sql.Connection connection, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + COLUMNS + " FROM organization o WHERE o.name = ?")) {
            ps.setString(1, name);
            return read(ps).stream().findFirst();
        }
    }

    private List<Organization> read(PreparedStatement ps) throws SQLException {
        List<Organization> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Organization(rs.getString(1), rs.getString(2), LabelsColumn.read(json, rs.getString(3)), rs.getInt(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getLong(7)));
            }
        }
        return rows;
    }
}
