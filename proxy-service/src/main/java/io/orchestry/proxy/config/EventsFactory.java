package io.orchestry.proxy.config;

import io.micronaut.context.annotation.Factory;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.watch.server.WatchHub;
import jakarta.inject.Singleton;

/** The hub that fans proxy events out to this replica's watchers. */
@Factory
class EventsFactory {
    @Singleton
    WatchHub<ProxyEvent> proxyEventHub(EventsConfig config) {
        return new WatchHub<>(config.watchBuffer());
    }
}
