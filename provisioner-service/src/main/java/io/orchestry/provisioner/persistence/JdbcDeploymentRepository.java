package io.orchestry.provisioner.persistence;

import io.orchestry.database.failures.Transactions;
import io.orchestry.controlloop.Fence;
import io.orchestry.controlloop.Leadership;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.DeploymentHistory;
import io.orchestry.provisioner.domain.DeploymentQuery;
import io.orchestry.provisioner.domain.DeploymentRepository;
import io.orchestry.provisioner.domain.DeploymentStats;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Deployments: the reconciler's fenced updates and the history's reads. */
@Singleton
class JdbcDeploymentRepository implements DeploymentRepository, DeploymentHistory {
    private final Transactions transactions;
    private final Leadership leadership;

    JdbcDeploymentRepository(Transactions transactions, Leadership leadership) {
        this.transactions = transactions;
        this.leadership = leadership;
    }

    @Override
    public Optional<Deployment> find(String id) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT " + DeploymentRows.COLUMNS + " FROM deployment WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(DeploymentRows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Deployment> active(String app) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT " + DeploymentRows.COLUMNS
                    + " FROM deployment WHERE app = ? AND state IN ('PENDING', 'IN_PROGRESS') ORDER BY create_time DESC, id DESC LIMIT 1")) {
                ps.setString(1, app);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(DeploymentRows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void update(Deployment d) {
        transactions.write(status -> {
            var tx = status.getConnection();
            Fence.check(tx, leadership);
            DeploymentRows.update(tx, d);
            return null;
        });
    }

    @Override
    public List<Deployment> list(DeploymentQuery query, PageRequest page) {
        Instant afterTime = null;
        String afterId = "";
        if (!page.isFirst()) {
            int slash = page.after().indexOf('/');
            try {
                String[] time = page.after().substring(0, slash).split("\\.");
                afterTime = Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1]));
                afterId = page.after().substring(slash + 1);
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("page_token", "not a token from a previous page of this list");
            }
        }
        Instant beforeTime = afterTime;
        String beforeId = afterId;
        return transactions.read(status -> {
            Where where = where(query);
            String keyset = beforeTime == null ? "" : " AND (create_time, id) < (?, ?)";
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT " + DeploymentRows.COLUMNS
                    + " FROM deployment WHERE " + where.sql + keyset + " ORDER BY create_time DESC, id DESC LIMIT ?")) {
                int i = where.bind(ps);
                if (beforeTime != null) {
                    ps.setTimestamp(i++, Timestamp.from(beforeTime));
                    ps.setString(i++, beforeId);
                }
                ps.setInt(i, page.fetchSize());
                List<Deployment> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(DeploymentRows.read(rs));
                    }
                }
                return rows;
            }
        });
    }

    @Override
    public DeploymentStats stats(DeploymentQuery query) {
        return transactions.read(status -> {
            Where where = where(query);
            Map<Deployment.DeploymentState, Integer> counts = new EnumMap<>(Deployment.DeploymentState.class);
            int total = 0;
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT state, count(*) FROM deployment WHERE " + where.sql + " GROUP BY state")) {
                where.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(Deployment.DeploymentState.valueOf(rs.getString(1)), rs.getInt(2));
                        total += rs.getInt(2);
                    }
                }
            }
            Duration mean = Duration.ZERO;
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT avg(EXTRACT(EPOCH FROM end_time - start_time))"
                    + " FROM deployment WHERE " + where.sql + " AND start_time IS NOT NULL AND end_time IS NOT NULL")) {
                where.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBigDecimal(1) != null) {
                        mean = Duration.ofNanos(rs.getBigDecimal(1).movePointRight(9).longValue());
                    }
                }
            }
            return new DeploymentStats(counts, total, mean);
        });
    }

    /** The filter of a query as SQL and its parameters. */
    private record Where(String sql, List<Object> params) {
        int bind(PreparedStatement ps) throws SQLException {
            int i = 1;
            for (Object p : params) {
                if (p instanceof Instant at) {
                    ps.setTimestamp(i++, Timestamp.from(at));
                } else if (p instanceof String[] array) {
                    ps.setArray(i++, ps.getConnection().createArrayOf("varchar", array));
                } else {
                    ps.setString(i++, (String) p);
                }
            }
            return i;
        }
    }

    private static Where where(DeploymentQuery query) {
        StringBuilder sql = new StringBuilder("TRUE");
        List<Object> params = new ArrayList<>();
        if (!query.project().isEmpty()) {
            sql.append(" AND project = ?");
            params.add(query.project());
        }
        if (!query.app().isEmpty()) {
            sql.append(" AND app = ?");
            params.add(query.app());
        }
        if (!query.states().isEmpty()) {
            sql.append(" AND state = ANY (?)");
            params.add(query.states().stream().map(Enum::name).toArray(String[]::new));
        }
        if (query.since() != null) {
            sql.append(" AND create_time >= ?");
            params.add(query.since());
        }
        return new Where(sql.toString(), params);
    }
}
