package io.orchestry.proxy.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Controller;
import io.orchestry.proxy.config.EventsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;

/** On every replica: follows the proxy outbox (other replicas' commits) and prunes what no feed needs any more. */
@Singleton
@Context
class ProxyEventFeedLoop implements ApplicationEventListener<ServerStartupEvent> {
    private final Controller<String> loop;
    private boolean started;

    ProxyEventFeedLoop(ProxyEventFeed feed, EventsConfig config, Clock clock, @Nullable MeterRegistry meters) {
        feed.load();
        this.loop = Controller.periodic("proxy-event-feed", config.feedInterval(),
                () -> feed.tick(config.outboxKeep()), clock, meters);
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (!started) {
            started = true;
            loop.start();
        }
    }

    @PreDestroy
    synchronized void stop() {
        loop.stop();
    }
}
