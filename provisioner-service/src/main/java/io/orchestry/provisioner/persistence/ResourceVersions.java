package io.orchestry.provisioner.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code resource_version} counter of instance changes (the registry's design). {@link #take} runs inside the
 * writing transaction and keeps the counter's row locked until it ends: changes commit in the order of their versions,
 * across every replica, so a feed that has read up to version v has missed nothing below it. Every changing transaction
 * takes it before any instance row, so the lock order is always counter, then rows.
 */
final class ResourceVersions {
    private ResourceVersions() {
    }

    /** Reserves the next version. */
    static long take(Connection tx) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE resource_version SET value = value + 1 RETURNING value");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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
