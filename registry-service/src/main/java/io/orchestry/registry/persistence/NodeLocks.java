package io.orchestry.registry.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Locks many {@code node} rows in name order. Every statement that changes many rows (heartbeat
 * flushes from every replica, batched transitions) locks them this way first, so two of them never
 * wait on each other in a cycle.
 */
final class NodeLocks {
    private NodeLocks() {
    }

    static void lock(Connection tx, String[] names) throws SQLException {
        if (names.length < 2) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement("SELECT name FROM node WHERE name = ANY (?) ORDER BY name FOR UPDATE")) {
            ps.setArray(1, tx.createArrayOf("varchar", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // locked as it is read
                }
            }
        }
    }
}
