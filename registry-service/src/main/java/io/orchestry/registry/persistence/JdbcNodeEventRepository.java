package io.orchestry.registry.persistence;

import io.orchestry.database.failures.Transactions;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.orchestry.paging.PageRequest;
import io.orchestry.registry.domain.NodeChange;
import io.orchestry.registry.domain.NodeEvent;
import io.orchestry.registry.domain.NodeEventRepository;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.SchedulingMode;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code node_event} table: transitions by id, the outbox by resource version. Rows are never updated. */
@Singleton
class JdbcNodeEventRepository implements NodeEventRepository {
    private final Transactions transactions;
    private final NodeRows rows;

    JdbcNodeEventRepository(Transactions transactions, JdbcOperations jdbc) {
        this.transactions = transactions;
        this.rows = new NodeRows(jdbc);
    }

    @Override
    public List<NodeEvent> transitions(String nodeName, PageRequest page) {
        long beforeId = page.isFirst() ? 0 : page.afterAsLong("page_token");
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT id, node_name, previous_status, status,"
                    + " scheduling_mode, reason, occurred_at FROM node_event"
                    + " WHERE transition AND (? = '' OR node_name = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, nodeName);
                ps.setString(2, nodeName);
                ps.setLong(3, beforeId);
                ps.setLong(4, beforeId);
                ps.setInt(5, page.fetchSize());
                List<NodeEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String previous = rs.getString(3);
                        events.add(new NodeEvent(rs.getLong(1), rs.getString(2),
                                previous == null ? null : NodeStatus.valueOf(previous),
                                NodeStatus.valueOf(rs.getString(4)), SchedulingMode.valueOf(rs.getString(5)),
                                rs.getString(6), rs.getTimestamp(7).toInstant()));
                    }
                }
                return events;
            }
        });
    }

    @Override
    public List<NodeChange> changesAfter(long resourceVersion, int limit) {
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT e.change_type AS change_type, r.*"
                    + " FROM node_event e CROSS JOIN LATERAL jsonb_populate_record(NULL::node, e.node) r"
                    + " WHERE e.resource_version > ? ORDER BY e.resource_version LIMIT ?")) {
                ps.setLong(1, resourceVersion);
                ps.setInt(2, limit);
                List<NodeChange> changes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var node = rows.read(rs);
                        changes.add(new NodeChange(NodeChange.Type.valueOf(rs.getString("change_type")), node,
                                node.resourceVersion()));
                    }
                }
                return changes;
            }
        });
    }
}
