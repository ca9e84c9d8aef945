package io.orchestry.registry.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code resource_version} counter. {@link #take} runs inside the writing transaction and
 * keeps the counter's row locked until that transaction ends: changes commit in the order of their
 * resource versions, across every replica, so a feed that has read up to version v has missed
 * nothing below it. Every changing transaction takes it first, before any node row, so that lock
 * order is always counter, then node rows (in name order).
 */
final class ResourceVersions {
    private ResourceVersions() {
    }

    /** Reserves {@code count} versions; returns the first. */
    static long take(Connection tx, int count) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE resource_version SET value = value + ? RETURNING value")) {
            ps.setInt(1, count);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) - count + 1;
            }
        }
    }

    /** The latest committed version. */
    static long current(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM resource_version");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
