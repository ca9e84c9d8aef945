package io.orchestry.gateway.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.orchestry.gateway.auth.ApiToken;
import io.orchestry.gateway.auth.Role;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code api_token} table. Ids sort in creation order, so pages follow them. */
@Singleton
public class TokenStore {
    private static final String COLUMNS = "id, name, role, organization, created_by, created_at, expires_at, revoked_at, last_used_at";

    private final JdbcOperations jdbc;

    public TokenStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void insert(ApiToken token, byte[] secretHash) {
        jdbc.prepareStatement("INSERT INTO api_token (id, name, role, organization, secret_hash, created_by, created_at, expires_at)"
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
        });
    }

    @Transactional(readOnly = true)
    public Optional<ApiToken> findBySecretHash(byte[] secretHash) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM api_token WHERE secret_hash = ?", ps -> {
            ps.setBytes(1, secretHash);
            return first(tokens(ps));
        });
    }

    @Transactional(readOnly = true)
    public Optional<ApiToken> find(String id) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM api_token WHERE id = ?", ps -> {
            ps.setString(1, id);
            return first(tokens(ps));
        });
    }

    /** Tokens neither revoked nor expired at {@code now}, in creation order after {@code afterId}; of one organization when it is not null. */
    @Transactional(readOnly = true)
    public List<ApiToken> active(@Nullable String organization, String afterId, Instant now, int limit) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM api_token WHERE revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)"
                + " AND (?::text IS NULL OR organization = ?) AND id > ? ORDER BY id LIMIT ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, organization);
            ps.setString(3, organization);
            ps.setString(4, afterId);
            ps.setInt(5, limit);
            return tokens(ps);
        });
    }

    /** Revokes every active token of {@code organization}; returns their ids. */
    @Transactional
    public List<String> revokeOrganization(String organization, Instant at) {
        return jdbc.prepareStatement("UPDATE api_token SET revoked_at = ? WHERE organization = ? AND revoked_at IS NULL RETURNING id", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, organization);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /** Records a use of the token at {@code at}, unless one was recorded in the minute before. */
    @Transactional
    public void used(String id, Instant at) {
        jdbc.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < ?)", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, id);
            ps.setTimestamp(3, Timestamp.from(at.minusSeconds(60)));
            return ps.executeUpdate();
        });
    }

    /** Marks the token revoked; false when it is missing or already revoked. */
    @Transactional
    public boolean revoke(String id, Instant at) {
        return jdbc.prepareStatement("UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        });
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
