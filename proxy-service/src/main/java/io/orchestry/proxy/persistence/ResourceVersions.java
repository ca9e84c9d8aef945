package io.orchestry.proxy.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code resource_version} counter of proxy events (the registry's and the provisioner's design, on the proxy's
 * own schema). {@link #take} runs inside the writing transaction and keeps the counter's row locked until it ends:
 * events commit in the order of their versions, and writes that check other rows (route overlaps, revision numbers)
 * are serialized by it. Every writing transaction takes it before any other row.
 */
final class ResourceVersions {
    private ResourceVersions() {
    }

    static long take(Connection tx) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE resource_version SET value = value + 1 RETURNING value");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long current(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM resource_version");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
