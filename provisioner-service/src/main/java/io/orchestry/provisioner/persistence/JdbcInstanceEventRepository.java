package io.orchestry.provisioner.persistence;

import io.orchestry.database.failures.Transactions;
import io.orchestry.error.NotFoundException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceChange;
import io.orchestry.provisioner.domain.InstanceEvents;
import io.orchestry.provisioner.domain.InstancePage;
import io.orchestry.provisioner.domain.InstanceQuery;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The instance outbox, the instance list that pairs with it, and the users' one instance write (retire). */
@Singleton
class JdbcInstanceEventRepository implements InstanceEvents {
    private final Transactions transactions;
    private final InstanceRows rows;
    private final Clock clock;

    JdbcInstanceEventRepository(Transactions transactions, InstanceRows rows, Clock clock) {
        this.transactions = transactions;
        this.rows = rows;
        this.clock = clock;
    }

    @Override
    public long currentResourceVersion() {
        return transactions.read(status -> ResourceVersions.current(status.getConnection()));
    }

    @Override
    public List<InstanceChange> changesAfter(long resourceVersion, int limit) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT e.resource_version AS rv,"
                    + " e.change_type AS change_type, " + InstanceRows.columns("r") + " FROM instance_event e"
                    + " CROSS JOIN LATERAL jsonb_populate_record(NULL::instance, e.instance) r"
                    + " WHERE e.resource_version > ? ORDER BY e.resource_version LIMIT ?")) {
                ps.setLong(1, resourceVersion);
                ps.setInt(2, limit);
                List<InstanceChange> changes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changes.add(new InstanceChange(InstanceChange.Type.valueOf(rs.getString("change_type")), rows.read(rs),
                                rs.getLong("rv")));
                    }
                }
                return changes;
            }
        });
    }

    @Override
    public InstancePage list(InstanceQuery query, PageRequest page) {
        return transactions.read(status -> {
            Connection tx = status.getConnection();
            long version = ResourceVersions.current(tx);
            try (PreparedStatement ps = tx.prepareStatement("SELECT " + InstanceRows.COLUMNS + " FROM instance"
                    + " WHERE (? = '' OR project = ?) AND (? = '' OR app = ?) AND (? = '' OR node_name = ?)"
                    + " AND (cardinality(?::varchar[]) = 0 OR state = ANY (?::varchar[])) AND id > ? ORDER BY id LIMIT ?")) {
                ps.setString(1, query.project());
                ps.setString(2, query.project());
                ps.setString(3, query.app());
                ps.setString(4, query.app());
                ps.setString(5, query.nodeName());
                ps.setString(6, query.nodeName());
                var states = tx.createArrayOf("varchar", query.states().stream().map(Enum::name).toArray());
                ps.setArray(7, states);
                ps.setArray(8, states);
                ps.setString(9, page.after());
                ps.setInt(10, page.fetchSize());
                List<Instance> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rows.read(rs));
                    }
                }
                return new InstancePage(Page.of(found, page, Instance::id), version);
            }
        });
    }

    @Override
    public long markRetiring(String id) {
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            long rv = ResourceVersions.take(tx);
            try (PreparedStatement ps = tx.prepareStatement(
                    "UPDATE instance SET retiring = TRUE, update_time = ?, resource_version = ? WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setLong(2, rv);
                ps.setString(3, id);
                if (ps.executeUpdate() != 1) {
                    throw new NotFoundException("instance", id);
                }
            }
            InstanceRows.record(tx, id, rv, InstanceChange.Type.MODIFIED, clock.instant());
            return rv;
        });
    }

    @Override
    public int pruneThrough(long resourceVersion) {
        return transactions.write(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "DELETE FROM instance_event WHERE resource_version <= ?")) {
                ps.setLong(1, resourceVersion);
                return ps.executeUpdate();
            }
        });
    }
}
