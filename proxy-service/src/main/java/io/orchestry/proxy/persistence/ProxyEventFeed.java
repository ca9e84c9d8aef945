package io.orchestry.proxy.persistence;

import io.micronaut.context.BeanProvider;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.RouteChangeListener;
import io.orchestry.watch.server.OutboxFeed;
import io.orchestry.watch.server.WatchHub;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy outbox followed by resource version ({@link OutboxFeed}): each committed event, in order, goes to the
 * {@link RouteChangeListener}s (route events) and then to this replica's watchers. A loop polls it for other replicas'
 * commits; a write made here calls {@link #catchUp} after its commit.
 */
@Singleton
public class ProxyEventFeed {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyEventFeed.class);
    private final OutboxFeed<ProxyEvent> feed;

    ProxyEventFeed(JdbcProxyEventRepository events, WatchHub<ProxyEvent> hub, BeanProvider<RouteChangeListener> listeners) {
        this.feed = new OutboxFeed<>(events::changesAfter, events::currentResourceVersion, events::pruneThrough, hub, event -> {
            if (event.kind() == ProxyEvent.Kind.ROUTE && event.route() != null) {
                String reason = "route " + event.route().id() + " " + switch (event.type()) {
                    case ADDED -> "created";
                    case MODIFIED -> "updated";
                    case DELETED -> "deleted";
                };
                listeners.stream().forEach(listener -> {
                    try {
                        listener.routeChanged(event.route(), event.type(), reason);
                    } catch (RuntimeException e) {
                        LOG.warn("a route change listener failed on {}", reason, e);
                    }
                });
            }
        });
    }

    /** Starts following from the version the database holds now (once). */
    public void load() {
        feed.load();
    }

    public int poll() {
        return feed.poll();
    }

    public void catchUp(long resourceVersion) {
        feed.catchUp(resourceVersion);
    }

    /** Drops outbox rows more than {@code keep} versions behind this feed and its hub's replay; returns how many. */
    public int prune(long keep) {
        return feed.prune(keep);
    }

    /** One turn of the feed loop. */
    public void tick(long keep) {
        feed.tick(keep);
    }

    public long position() {
        return feed.position();
    }
}
