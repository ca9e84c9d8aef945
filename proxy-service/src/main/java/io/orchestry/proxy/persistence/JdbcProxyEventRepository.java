package io.orchestry.proxy.persistence;

import io.orchestry.controlloop.Fence;
import io.orchestry.controlloop.Leadership;
import io.orchestry.database.failures.Transactions;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.ProxyEvents;
import io.orchestry.proxy.domain.ProxyState;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The proxy outbox: read by the feed, pruned behind it; and the apply side's status events (fenced). */
@Singleton
public class JdbcProxyEventRepository implements ProxyEvents {
    private final Transactions transactions;
    private final EventDocuments documents;
    private final Leadership leadership;
    private final BeanProvider<ProxyEventFeed> feed;
    private final Clock clock;

    JdbcProxyEventRepository(Transactions transactions, EventDocuments documents, Leadership leadership,
                             BeanProvider<ProxyEventFeed> feed, Clock clock) {
        this.transactions = transactions;
        this.documents = documents;
        this.leadership = leadership;
        this.feed = feed;
        this.clock = clock;
    }

    /** The latest committed resource version. */
    public long currentResourceVersion() {
        return transactions.read(status -> ResourceVersions.current(status.getConnection()));
    }

    List<ProxyEvent> changesAfter(long resourceVersion, int limit) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT resource_version, kind, type, json::text"
                    + " FROM proxy_event WHERE resource_version > ? ORDER BY resource_version LIMIT ?")) {
                ps.setLong(1, resourceVersion);
                ps.setInt(2, limit);
                List<ProxyEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(documents.read(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return events;
            }
        });
    }

    int pruneThrough(long resourceVersion) {
        return transactions.write(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "DELETE FROM proxy_event WHERE resource_version <= ?")) {
                ps.setLong(1, resourceVersion);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void statusChanged(ProxyState state) {
        long version = transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            long rv = ResourceVersions.take(tx);
            documents.status(tx, rv, state, clock.instant());
            return rv;
        });
        feed.get().catchUp(version);
    }
}
