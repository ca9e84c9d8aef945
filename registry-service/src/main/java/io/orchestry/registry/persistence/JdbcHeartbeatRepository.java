package io.orchestry.registry.persistence;

import io.orchestry.database.failures.Transactions;
import io.orchestry.registry.domain.Heartbeat;
import io.orchestry.registry.domain.HeartbeatRepository;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code last_heartbeat_at} and the usage columns of {@code node}: written in batches, read by the monitor. */
@Singleton
class JdbcHeartbeatRepository implements HeartbeatRepository {
    private final Transactions transactions;

    JdbcHeartbeatRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    /** One statement for the whole batch (the rows joined to arrays); a later heartbeat is never overwritten by an older one. */
    @Override
    public void write(List<Heartbeat> beats) {
        if (beats.isEmpty()) {
            return;
        }
        int n = beats.size();
        String[] names = new String[n];
        Timestamp[] times = new Timestamp[n];
        Long[] cpu = new Long[n];
        Long[] memory = new Long[n];
        Long[] disk = new Long[n];
        Integer[] workloads = new Integer[n];
        for (int i = 0; i < n; i++) {
            Heartbeat beat = beats.get(i);
            names[i] = beat.name();
            times[i] = Timestamp.from(beat.at());
            cpu[i] = beat.usage().cpuMillis();
            memory[i] = beat.usage().memoryBytes();
            disk[i] = beat.usage().diskBytes();
            workloads[i] = beat.usage().workloads();
        }
        transactions.write(tx -> {
            Connection connection = tx.getConnection();
            NodeLocks.lock(connection, names);
            try (PreparedStatement ps = connection.prepareStatement("UPDATE node SET last_heartbeat_at = b.at,"
                    + " usage_cpu_millis = b.cpu, usage_memory_bytes = b.memory, usage_disk_bytes = b.disk, usage_workloads = b.workloads"
                    + " FROM unnest(?::varchar[], ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[])"
                    + " AS b(name, at, cpu, memory, disk, workloads)"
                    + " WHERE node.name = b.name AND (node.last_heartbeat_at IS NULL OR node.last_heartbeat_at <= b.at)")) {
                ps.setArray(1, connection.createArrayOf("varchar", names));
                ps.setArray(2, connection.createArrayOf("timestamptz", times));
                ps.setArray(3, connection.createArrayOf("bigint", cpu));
                ps.setArray(4, connection.createArrayOf("bigint", memory));
                ps.setArray(5, connection.createArrayOf("bigint", disk));
                ps.setArray(6, connection.createArrayOf("int4", workloads));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, Instant> latest(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        return transactions.read(tx -> {
            Connection connection = tx.getConnection();
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT name, last_heartbeat_at FROM node WHERE name = ANY (?) AND last_heartbeat_at IS NOT NULL")) {
                ps.setArray(1, connection.createArrayOf("varchar", names.toArray(String[]::new)));
                Map<String, Instant> latest = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        latest.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
                return latest;
            }
        });
    }
}
