package io.orchestry.provisioner.domain;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Controller;
import io.orchestry.provisioner.config.InstanceWatchConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * On every replica: follows the instance outbox for this replica's watchers (other replicas' commits; this replica's own
 * are caught up after each commit) and prunes what no feed needs any more.
 */
@Singleton
@Context
class InstanceFeedLoop implements ApplicationEventListener<ServerStartupEvent> {
    private final Controller<String> loop;
    private boolean started;

    InstanceFeedLoop(InstanceChangeFeed feed, InstanceWatchConfig config, Clock clock, @Nullable MeterRegistry meters) {
        feed.load();
        this.loop = Controller.periodic("provisioner-instance-feed", config.feedInterval(),
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
