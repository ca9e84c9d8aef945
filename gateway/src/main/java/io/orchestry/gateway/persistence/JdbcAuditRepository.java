package io.orchestry.gateway.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.orchestry.gateway.audit.AuditQuery;
import io.orchestry.gateway.audit.AuditRecord;
import io.orchestry.gateway.audit.AuditRepository;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditRepository} in the {@code audit_record} table. */
@Singleton
public class JdbcAuditRepository implements AuditRepository {
    private final JdbcOperations jdbc;
    private final JdbcTransactions transactions;

    public JdbcAuditRepository(JdbcOperations jdbc, JdbcTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public long begin(Instant at, String requestId, String actor, String organization, String method, String path,
                      String targetType, String targetId) {
        return transactions.write(() -> jdbc.prepareStatement("INSERT INTO audit_record (at, request_id, actor, organization, method, path, target_type, target_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, requestId);
            ps.setString(3, actor);
            ps.setString(4, organization);
            ps.setString(5, method);
            ps.setString(6, path);
            ps.setString(7, targetType);
            ps.setString(8, targetId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }));
    }

    @Override
    public void complete(long id, String targetId, String targetOrganization, int status) {
        transactions.write(() -> jdbc.prepareStatement("UPDATE audit_record SET target_id = coalesce(?, target_id), target_organization = ?, status = ?"
                + " WHERE id = ?", ps -> {
            ps.setString(1, targetId);
            ps.setString(2, targetOrganization);
            ps.setInt(3, status);
            ps.setLong(4, id);
            return ps.executeUpdate();
        }));
    }

    @Override
    public void renameOrganization(String from, String to) {
        transactions.write(() -> jdbc.prepareStatement("UPDATE audit_record SET"
                + " organization = CASE WHEN organization = ? THEN ? ELSE organization END,"
                + " target_organization = CASE WHEN target_organization = ? THEN ? ELSE target_organization END"
                + " WHERE organization = ? OR target_organization = ?", ps -> {
            ps.setString(1, from);
            ps.setString(2, to);
            ps.setString(3, from);
            ps.setString(4, to);
            ps.setString(5, from);
            ps.setString(6, from);
            return ps.executeUpdate();
        }));
    }

    @Override
    public List<AuditRecord> find(AuditQuery query, long beforeId, int limit) {
        return transactions.read(() -> jdbc.prepareStatement("SELECT id, at, request_id, actor, organization, method, path, target_type, target_id, target_organization, status"
                + " FROM audit_record WHERE id < ?"
                + " AND (?::text IS NULL OR target_type = ?)"
                + " AND (?::int IS NULL OR status >= ?) AND (?::int IS NULL OR status <= ?)"
                + " AND (?::text IS NULL OR actor = ?)"
                + " AND (?::timestamptz IS NULL OR at >= ?) AND (?::timestamptz IS NULL OR at < ?)"
                + " AND (?::text IS NULL OR organization = ? OR target_organization = ?)"
                + " ORDER BY id DESC LIMIT ?", ps -> {
            int i = 1;
            ps.setLong(i++, beforeId);
            for (int n = 0; n < 2; n++) {
                ps.setString(i++, query.targetType());
            }
            for (int n = 0; n < 2; n++) {
                ps.setObject(i++, query.statusFrom(), Types.INTEGER);
            }
            for (int n = 0; n < 2; n++) {
                ps.setObject(i++, query.statusTo(), Types.INTEGER);
            }
            for (int n = 0; n < 2; n++) {
                ps.setString(i++, query.actor());
            }
            for (int n = 0; n < 2; n++) {
                ps.setTimestamp(i++, query.since() == null ? null : Timestamp.from(query.since()));
            }
            for (int n = 0; n < 2; n++) {
                ps.setTimestamp(i++, query.until() == null ? null : Timestamp.from(query.until()));
            }
            for (int n = 0; n < 3; n++) {
                ps.setString(i++, query.organization());
            }
            ps.setInt(i, limit);
            List<AuditRecord> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object status = rs.getObject(11);
                    rows.add(new AuditRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            status == null ? null : ((Number) status).intValue()));
                }
            }
            return rows;
        }));
    }
}
