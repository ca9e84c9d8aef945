package io.orchestry.registry.persistence;

import io.orchestry.database.failures.Transactions;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.orchestry.controlloop.Fence;
import io.orchestry.registry.domain.Fencing;
import io.orchestry.registry.domain.Node;
import io.orchestry.registry.domain.NodeTransitionRepository;
import io.orchestry.registry.domain.StatusChange;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Many status transitions in one transaction: one statement moves every node still in its expected
 * status (and, for the monitor's, not heard from in a heartbeat flushed since), one statement records
 * an event for each node that moved. Either both commit or neither does.
 */
@Singleton
class JdbcNodeTransitionRepository implements NodeTransitionRepository {
    private static final String TRANSITION = """
            WITH t AS (
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[])
                    WITH ORDINALITY AS t(name, expected, next, reason, heard, ord)),
            changed AS (
                UPDATE node n SET status = t.next, version = n.version + 1, resource_version = ? + t.ord - 1, updated_at = ?
                FROM t
                WHERE n.name = t.name AND n.status = t.expected
                  AND (t.heard IS NULL OR n.last_heartbeat_at IS NULL OR n.last_heartbeat_at <= t.heard)
                RETURNING n.*, t.expected AS previous_status, t.reason AS reason),
            recorded AS (
                INSERT INTO node_event (resource_version, change_type, node_name, previous_status, status, scheduling_mode,
                                        reason, occurred_at, node, transition)
                SELECT n.resource_version, 'MODIFIED', n.name, n.previous_status, n.status, n.scheduling_mode, n.reason, ?,
                       %s, TRUE
                FROM changed n)
            SELECT * FROM changed ORDER BY resource_version""".formatted(NodeEventRows.SNAPSHOT);

    private final Transactions transactions;
    private final NodeRows rows;

    JdbcNodeTransitionRepository(Transactions transactions, JdbcOperations jdbc) {
        this.transactions = transactions;
        this.rows = new NodeRows(jdbc);
    }

    @Override
    public List<Node> transitionAll(List<StatusChange> changes, Instant now, Fencing fencing) {
        if (changes.isEmpty()) {
            return List.of();
        }
        int n = changes.size();
        String[] names = new String[n];
        String[] expected = new String[n];
        String[] next = new String[n];
        String[] reasons = new String[n];
        Timestamp[] heard = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            StatusChange change = changes.get(i);
            names[i] = change.name();
            expected[i] = change.expected().name();
            next[i] = change.next().name();
            reasons[i] = change.reason();
            heard[i] = change.lastHeard() == null ? null : Timestamp.from(change.lastHeard());
        }
        return transactions.write(tx -> {
            Connection connection = tx.getConnection();
            if (fencing.fenced()) {
                Fence.check(connection, fencing.election(), fencing.epoch());
            }
            long first = ResourceVersions.take(connection, n);
            NodeLocks.lock(connection, names);
            try (PreparedStatement ps = connection.prepareStatement(TRANSITION)) {
                ps.setArray(1, connection.createArrayOf("varchar", names));
                ps.setArray(2, connection.createArrayOf("varchar", expected));
                ps.setArray(3, connection.createArrayOf("varchar", next));
                ps.setArray(4, connection.createArrayOf("varchar", reasons));
                ps.setArray(5, connection.createArrayOf("timestamptz", heard));
                ps.setLong(6, first);
                ps.setTimestamp(7, Timestamp.from(now));
                ps.setTimestamp(8, Timestamp.from(now));
                return rows.all(ps);
            }
        });
    }
}
