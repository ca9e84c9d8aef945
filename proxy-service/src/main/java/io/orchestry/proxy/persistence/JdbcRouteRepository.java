package io.orchestry.proxy.persistence;

import io.orchestry.database.failures.DatabaseFailures;
import io.orchestry.database.failures.Transactions;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RoutePage;
import io.orchestry.proxy.domain.RouteRepository;
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
 * Routes in PostgreSQL. Route writes come from any replica (users' requests, not a loop: not fenced); each takes the
 * resource version first (which serializes the conflict checks), writes the row and its event, and after the commit
 * this replica's feed is caught up.
 */
@Singleton
class JdbcRouteRepository implements RouteRepository {
    private final Transactions transactions;
    private final RouteRows rows;
    private final EventDocuments documents;
    private final ProxyEventFeed feed;
    private final Clock clock;

    JdbcRouteRepository(Transactions transactions, RouteRows rows, EventDocuments documents, ProxyEventFeed feed, Clock clock) {
        this.transactions = transactions;
        this.rows = rows;
        this.documents = documents;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public Route create(Route route, Guard guard) {
        long version;
        try {
            version = transactions.write(status -> {
                Connection tx = status.getConnection();
                long rv = ResourceVersions.take(tx);
                guard.check(select(tx, "TRUE", null, false));
                rows.insert(tx, route, rv);
                documents.route(tx, rv, ProxyEvent.Type.ADDED, route, clock.instant());
                return rv;
            });
        } catch (RuntimeException e) {
            throw duplicate(e, route);
        }
        feed.catchUp(version);
        return route.withoutKey();
    }

    @Override
    public Route update(Route route, long expectedVersion, Guard guard) {
        long version;
        try {
            version = transactions.write(status -> {
                Connection tx = status.getConnection();
                long rv = ResourceVersions.take(tx);
                List<Route> current = select(tx, "id = ?", route.id(), false);
                if (current.isEmpty()) {
                    throw new NotFoundException("route", route.id());
                }
                if (current.get(0).version() != expectedVersion) {
                    throw new VersionConflictException("route", route.id(), expectedVersion, current.get(0).version());
                }
                guard.check(select(tx, "TRUE", null, false));
                rows.update(tx, route, expectedVersion, rv);
                documents.route(tx, rv, ProxyEvent.Type.MODIFIED, route, clock.instant());
                return rv;
            });
        } catch (RuntimeException e) {
            throw duplicate(e, route);
        }
        feed.catchUp(version);
        return route.withoutKey();
    }

    @Override
    public Route delete(String id) {
        Route[] deleted = new Route[1];
        long version = transactions.write(status -> {
            Connection tx = status.getConnection();
            long rv = ResourceVersions.take(tx);
            List<Route> current = select(tx, "id = ?", id, false);
            if (current.isEmpty()) {
                throw new NotFoundException("route", id);
            }
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM route WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            deleted[0] = current.get(0);
            documents.route(tx, rv, ProxyEvent.Type.DELETED, deleted[0], clock.instant());
            return rv;
        });
        feed.catchUp(version);
        return deleted[0];
    }

    @Override
    public Optional<Route> get(String id) {
        return transactions.read(status -> select(status.getConnection(), "id = ?", id, false)).stream().findFirst();
    }

    @Override
    public Optional<Route> getWithKey(String id) {
        return transactions.read(status -> select(status.getConnection(), "id = ?", id, true)).stream().findFirst();
    }

    @Override
    public RoutePage list(String project, String app, PageRequest page) {
        return transactions.read(status -> {
            Connection tx = status.getConnection();
            long version = ResourceVersions.current(tx);
            try (PreparedStatement ps = tx.prepareStatement("SELECT " + RouteRows.COLUMNS + " FROM route"
                    + " WHERE (? = '' OR project = ?) AND (? = '' OR app = ?) AND id > ? ORDER BY id LIMIT ?")) {
                ps.setString(1, project);
                ps.setString(2, project);
                ps.setString(3, app);
                ps.setString(4, app);
                ps.setString(5, page.after());
                ps.setInt(6, page.fetchSize());
                List<Route> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rows.read(rs, false));
                    }
                }
                return new RoutePage(Page.of(found, page, Route::id), version);
            }
        });
    }

    @Override
    public List<Route> allForRendering() {
        return transactions.read(status -> select(status.getConnection(), "TRUE", null, true));
    }

    private List<Route> select(Connection tx, String where, String value, boolean withKey) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + RouteRows.COLUMNS + " FROM route WHERE " + where
                + " ORDER BY id")) {
            if (value != null) {
                ps.setString(1, value);
            }
            List<Route> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rows.read(rs, withKey));
                }
            }
            return found;
        }
    }

    /** The one-default index as ALREADY_EXISTS (a race the guard cannot see cannot happen under the lock, but say it well). */
    private static RuntimeException duplicate(RuntimeException e, Route route) {
        if (DatabaseFailures.isDuplicateKey(e)) {
            return route.isDefault() ? new AlreadyExistsException("default route (is_default)", route.id())
                    : new AlreadyExistsException("route", route.id());
        }
        return e;
    }
}
