package io.orchestry.registry.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.orchestry.registry.domain.NodeEvent;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.SchedulingMode;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The {@code node_event} table: one row per status or mode transition, never updated. */
@Singleton
public class NodeEventStore {
    private final JdbcOperations jdbc;

    public NodeEventStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void insert(NodeEvent event) {
        insertAll(List.of(event));
    }

    /** Records many events in one batch. */
    @Transactional
    public void insertAll(List<NodeEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.prepareStatement("INSERT INTO node_event (node_name, previous_status, status, scheduling_mode, reason, occurred_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", ps -> {
            for (NodeEvent event : events) {
                ps.setString(1, event.nodeName());
                ps.setString(2, event.previousStatus() == null ? null : event.previousStatus().name());
                ps.setString(3, event.status().name());
                ps.setString(4, event.schedulingMode().name());
                ps.setString(5, event.reason());
                ps.setTimestamp(6, Timestamp.from(event.at()));
                ps.addBatch();
            }
            return ps.executeBatch();
        });
    }

    /** Events newest first; of one node when {@code nodeName} is not empty; ids below {@code beforeId} (0: from the newest). */
    @Transactional(readOnly = true)
    public List<NodeEvent> list(String nodeName, long beforeId, int limit) {
        String sql = "SELECT id, node_name, previous_status, status, scheduling_mode, reason, occurred_at FROM node_event"
                + " WHERE (? = '' OR node_name = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setString(1, nodeName);
            ps.setString(2, nodeName);
            ps.setLong(3, beforeId);
            ps.setLong(4, beforeId);
            ps.setInt(5, limit);
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
        });
    }
}
