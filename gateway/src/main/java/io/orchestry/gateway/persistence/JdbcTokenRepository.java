package io.orchestry.gateway.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.orchestry.gateway.auth.ApiToken;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.auth.TokenRepository;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link TokenRepository} in the {@code api_token} table. */
@Singleton
public class JdbcTokenRepository implements TokenRepository {
    private static final String COLUMNS = "id, name, role, organization, created_by, created_at, expires_at, revoked_at, last_used_at";

    private final JdbcOperations jdbc;
    private final JdbcTransactions transactions;

    public JdbcTokenRepository(JdbcOperations jdbc, JdbcTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public void insert(ApiToken token, byte[] secretHash) {
        transactions.write(() -> jdbc.prepareStatement("INSERT INTO api_token (id, name, role, organization, secret_hash, created_by, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, token.id());
            ps.setString(2, token.name());
            ps.setString(3, token.role().value());
            ps.setString(4, token.organization());
            ps.setBytes(5, secretHash);
            ps.setString(6, token.createdBy());
            ps.setTimestamp(7, Timestamp.from(token.createdAt()));
            ps.setTimestamp(8, token.expiresAt() == null ? null : Timestamp.from(token.expiresAt()));
            return ps.executeUpdate();
        }));
    }

    @Override
    public Optional<ApiToken> findBySecretHash(byte[] secretHash) {
        return transactions.read(() -> jdbc.prepareStatement("SELECT " + COLUMNS + " FROM api_token WHERE secret_hash = ?", ps -> {
            ps.setBytes(1, secretHash);
            return first(tokens(ps));
        }));
    }

    @Override
    public Optional<ApiToken> find(String id) {
        return transactions.read(() -> jdbc.prepareStatement("SELECT " + COLUMNS + " FROM api_token WHERE id = ?", ps -> {
            ps.setString(1, id);
            return first(tokens(ps));
        }));
    }

    @Override
    public List<ApiToken> active(@Nullable String organization, String afterId, Instant now, int limit) {
        return transactions.read(() -> jdbc.prepareStatement("SELECT " + COLUMNS + " FROM api_token WHERE revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)"
                + " AND (?::text IS NULL OR organization = ?) AND id > ? ORDER BY id LIMIT ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, organization);
            ps.setString(3, organization);
            ps.setString(4, afterId);
            ps.setInt(5, limit);
            return tokens(ps);
        }));
    }

    @Override
    public List<String> revokeOrganization(String organization, Instant at) {
        return transactions.write(() -> jdbc.prepareStatement("UPDATE api_token SET revoked_at = ? WHERE organization = ? AND revoked_at IS NULL RETURNING id", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, organization);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }));
    }

    @Override
    public void used(String id, Instant at) {
        transactions.write(() -> jdbc.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < ?)", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, id);
            ps.setTimestamp(3, Timestamp.from(at.minusSeconds(60)));
            return ps.executeUpdate();
        }));
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return transactions.write(() -> jdbc.prepareStatement("UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        }));
    }

    private static Optional<ApiToken> first(List<ApiToken> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<ApiToken> tokens(PreparedStatement ps) throws SQLException {
        List<ApiToken> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new ApiToken(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3), "role"), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)),
                        instant(rs.getTimestamp(9))));
            }
        }
        return rows;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
