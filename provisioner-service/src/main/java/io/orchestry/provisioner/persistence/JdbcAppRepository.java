package io.orchestry.provisioner.persistence;

import io.orchestry.database.failures.Transactions;
import io.orchestry.controlloop.Fence;
import io.orchestry.controlloop.Leadership;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppChange;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.AppStore;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.Revision;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Apps and revisions: the use cases' spec writes ({@link AppStore}, each one transaction with its revision and
 * deployment) and the reconciler's status writes ({@link AppRepository}, fenced with the leader's epoch).
 */
@Singleton
class JdbcAppRepository implements AppRepository, AppStore {
    private final Transactions transactions;
    private final AppRows rows;
    private final Leadership leadership;
    private final Clock clock;

    JdbcAppRepository(Transactions transactions, AppRows rows, Leadership leadership, Clock clock) {
        this.transactions = transactions;
        this.rows = rows;
        this.leadership = leadership;
        this.clock = clock;
    }

    @Override
    public Optional<App> find(String name) {
        return transactions.read(status -> select(status.getConnection(), name, false));
    }

    @Override
    public List<String> names() {
        return transactions.read(status -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT name FROM app ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    @Override
    public List<App> list(String project, PageRequest page) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT " + AppRows.COLUMNS
                    + " FROM app WHERE (? = '' OR project = ?) AND name > ? ORDER BY name LIMIT ?")) {
                ps.setString(1, project);
                ps.setString(2, project);
                ps.setString(3, page.after());
                ps.setInt(4, page.fetchSize());
                List<App> apps = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        apps.add(rows.read(rs));
                    }
                }
                return apps;
            }
        });
    }

    @Override
    public Optional<Revision> revision(String app, long number) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT app, number, spec::text AS spec, create_time FROM app_revision WHERE app = ? AND number = ?")) {
                ps.setString(1, app);
                ps.setLong(2, number);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rows.readRevision(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Revision> revisions(String app) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT app, number, spec::text AS spec, create_time FROM app_revision WHERE app = ? ORDER BY number DESC")) {
                ps.setString(1, app);
                List<Revision> revisions = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        revisions.add(rows.readRevision(rs));
                    }
                }
                return revisions;
            }
        });
    }

    @Override
    public App insert(App app, Revision revision, Deployment deployment) {
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO app (name, project, labels, spec, generation, revision,"
                    + " stopped, deleting, restarted_at, create_time, update_time, version, status)"
                    + " VALUES (?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, app.name());
                ps.setString(2, app.project());
                ps.setString(3, rows.labels(app));
                ps.setString(4, rows.spec(app));
                ps.setLong(5, app.generation());
                ps.setLong(6, app.revision());
                ps.setBoolean(7, app.stopped());
                ps.setBoolean(8, app.deleting());
                ps.setTimestamp(9, AppRows.timestamp(app.restartedAt()));
                ps.setTimestamp(10, Timestamp.from(app.createTime()));
                ps.setTimestamp(11, Timestamp.from(app.updateTime()));
                ps.setLong(12, app.version());
                ps.setString(13, rows.status(app.status()));
                if (ps.executeUpdate() == 0) {
                    throw new AlreadyExistsException("app", app.name());
                }
            }
            rows.insertRevision(tx, revision);
            DeploymentRows.insert(tx, deployment);
            return select(tx, app.name(), false).orElseThrow();
        });
    }

    @Override
    public App update(AppChange change) {
        App app = change.app();
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            try (PreparedStatement ps = tx.prepareStatement("UPDATE app SET labels = ?::jsonb, spec = ?::jsonb, generation = ?,"
                    + " revision = ?, stopped = ?, deleting = ?, restarted_at = ?, update_time = ?, version = version + 1"
                    + " WHERE name = ? AND version = ?")) {
                ps.setString(1, rows.labels(app));
                ps.setString(2, rows.spec(app));
                ps.setLong(3, app.generation());
                ps.setLong(4, app.revision());
                ps.setBoolean(5, app.stopped());
                ps.setBoolean(6, app.deleting());
                ps.setTimestamp(7, AppRows.timestamp(app.restartedAt()));
                ps.setTimestamp(8, Timestamp.from(app.updateTime()));
                ps.setString(9, app.name());
                ps.setLong(10, change.expectedVersion());
                if (ps.executeUpdate() == 0) {
                    App current = select(tx, app.name(), false).orElseThrow(() -> new NotFoundException("app", app.name()));
                    throw new VersionConflictException("app", app.name(), change.expectedVersion(), current.version());
                }
            }
            if (change.revision() != null) {
                rows.insertRevision(tx, change.revision());
            }
            if (change.deployment() != null) {
                DeploymentRows.supersede(tx, app.name(), change.deployment().id(), app.updateTime());
                DeploymentRows.insert(tx, change.deployment());
            }
            if (change.scale() != null) {
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO app_scale (app, from_replicas, to_replicas, reason,"
                        + " create_time) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, app.name());
                    ps.setInt(2, change.scale().fromReplicas());
                    ps.setInt(3, change.scale().toReplicas());
                    ps.setString(4, change.scale().reason());
                    ps.setTimestamp(5, Timestamp.from(app.updateTime()));
                    ps.executeUpdate();
                }
            }
            return select(tx, app.name(), false).orElseThrow();
        });
    }

    @Override
    public void writeStatus(String name, AppStatus appStatus) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            try (PreparedStatement ps = tx.prepareStatement(
                    "UPDATE app SET status = ?::jsonb WHERE name = ?")) {
                ps.setString(1, rows.status(appStatus));
                ps.setString(2, name);
                if (ps.executeUpdate() != 1) {
                    throw new NotFoundException("app", name);
                }
            }
            return null;
        });
    }

    @Override
    public Optional<App> restore(App seen, Revision to, Deployment rolledBack) {
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            Optional<App> current = select(tx, seen.name(), true);
            if (current.isEmpty() || current.get().generation() != seen.generation()
                    || current.get().revision() != seen.revision()) {
                return Optional.<App>empty(); // updated since the plan: the next plan sees the new spec
            }
            App app = current.get();
            App restored = new App(app.name(), app.project(), app.labels(), to.spec().withReplicas(app.spec().replicas()),
                    app.generation() + 1, to.number(), app.stopped(), app.deleting(), app.restartedAt(),
                    app.createTime(), clock.instant(), app.version(), app.status());
            try (PreparedStatement ps = tx.prepareStatement("UPDATE app SET spec = ?::jsonb, generation = ?, revision = ?,"
                    + " update_time = ?, version = version + 1 WHERE name = ? AND generation = ? AND revision = ?")) {
                ps.setString(1, rows.spec(restored));
                ps.setLong(2, restored.generation());
                ps.setLong(3, restored.revision());
                ps.setTimestamp(4, Timestamp.from(restored.updateTime()));
                ps.setString(5, app.name());
                ps.setLong(6, seen.generation());
                ps.setLong(7, seen.revision());
                if (ps.executeUpdate() != 1) {
                    return Optional.<App>empty();
                }
            }
            DeploymentRows.update(tx, rolledBack);
            return select(tx, app.name(), false);
        });
    }

    @Override
    public void remove(String name) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM app WHERE name = ? AND deleting")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private Optional<App> select(Connection tx, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + AppRows.COLUMNS + " FROM app WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rows.read(rs)) : Optional.empty();
            }
        }
    }
}
