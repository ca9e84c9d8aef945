package io.orchestry.provisioner.persistence;

import io.orchestry.database.failures.Transactions;
import io.orchestry.controlloop.Fence;
import io.orchestry.controlloop.Leadership;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceChange;
import io.orchestry.provisioner.domain.InstanceChangeFeed;
import io.orchestry.provisioner.domain.InstanceRepository;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Instances, written by the reconciler: every write is fenced with the leader's epoch, and every watched change takes a
 * resource version and appends its outbox row in the same transaction; after the commit this replica's watchers are
 * caught up. An update that changes nothing but usage writes no event (usage is not watched) and takes no version.
 */
@Singleton
class JdbcInstanceRepository implements InstanceRepository {
    private final Transactions transactions;
    private final InstanceRows rows;
    private final Leadership leadership;
    private final InstanceChangeFeed feed;
    private final Clock clock;

    JdbcInstanceRepository(Transactions transactions, InstanceRows rows, Leadership leadership, InstanceChangeFeed feed, Clock clock) {
        this.transactions = transactions;
        this.rows = rows;
        this.leadership = leadership;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public Optional<Instance> find(String id) {
        List<Instance> found = select("id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<Instance> byApp(String app) {
        return select("app = ?", app);
    }

    @Override
    public List<Instance> byNode(String nodeName) {
        return select("node_name = ?", nodeName);
    }

    @Override
    public List<Instance> all() {
        return select("TRUE", null);
    }

    @Override
    public void insert(Instance instance) {
        long version = transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            long rv = ResourceVersions.take(tx);
            rows.upsert(tx, instance, rv, true);
            InstanceRows.record(tx, instance.id(), rv, InstanceChange.Type.ADDED, clock.instant());
            return rv;
        });
        feed.catchUp(version);
    }

    @Override
    public void update(Instance proposed) {
        long version = transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            Optional<Instance> before = selectIn(tx, proposed.id());
            // retiring is one-way: a loop that read the row before a user's DeleteInstance (or the reconciler's retire)
            // committed must not write it back as not retiring
            Instance instance = before.isPresent() && before.get().retiring() && !proposed.retiring()
                    ? retiring(proposed) : proposed;
            if (before.isPresent() && withoutUsage(before.get()).equals(withoutUsage(instance))) {
                try (PreparedStatement ps = tx.prepareStatement(
                        "UPDATE instance SET usage_cpu_millis = ?, usage_memory_bytes = ? WHERE id = ?")) {
                    ps.setLong(1, instance.usage().cpuMillis());
                    ps.setLong(2, instance.usage().memoryBytes());
                    ps.setString(3, instance.id());
                    ps.executeUpdate();
                }
                return 0L;
            }
            long rv = ResourceVersions.take(tx);
            rows.upsert(tx, instance, rv, false);
            InstanceRows.record(tx, instance.id(), rv, InstanceChange.Type.MODIFIED, clock.instant());
            return rv;
        });
        if (version > 0) {
            feed.catchUp(version);
        }
    }

    @Override
    public void delete(String id) {
        long version = transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            long rv = ResourceVersions.take(tx);
            if (selectIn(tx, id).isEmpty()) {
                return 0L;
            }
            InstanceRows.record(tx, id, rv, InstanceChange.Type.DELETED, clock.instant());
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM instance WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return rv;
        });
        if (version > 0) {
            feed.catchUp(version);
        }
    }

    @Override
    public long nextOrdinal(String app) {
        return transactions.write(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("INSERT INTO app_ordinal (app, next) VALUES (?, 2)"
                    + " ON CONFLICT (app) DO UPDATE SET next = app_ordinal.next + 1 RETURNING next - 1")) {
                ps.setString(1, app);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The instance as watchers see it: usage and update time aside. */
    private static Instance withoutUsage(Instance i) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(),
                i.state(), i.health(), i.restartCount(), i.startTime(), i.healthySince(),
                io.orchestry.provisioner.domain.ComputeResources.ZERO, i.lastError(), i.runtimeId(), i.retiring(),
                i.createTime(), i.createTime());
    }

    private Optional<Instance> selectIn(Connection tx, String id) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rows.read(rs)) : Optional.empty();
            }
        }
    }

    private List<Instance> select(String where, String value) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE " + where + " ORDER BY id")) {
                if (value != null) {
                    ps.setString(1, value);
                }
                List<Instance> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rows.read(rs));
                    }
                }
                return found;
            }
        });
    }

    private static Instance retiring(Instance i) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(),
                i.state(), i.health(), i.restartCount(), i.startTime(), i.healthySince(), i.usage(), i.lastError(),
                i.runtimeId(), true, i.createTime(), i.updateTime());
    }
}
