package io.orchestry.registry.loops;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.TaskScheduler;
import io.orchestry.registry.config.RegistryConfig;
import io.orchestry.registry.domain.HealthMonitor;
import io.orchestry.registry.domain.HeartbeatService;
import io.orchestry.registry.domain.NodeChangeFeed;
import io.orchestry.registry.domain.TransitionBatcher;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The registry's loops. At start-up the fleet is loaded into memory from the database; once the
 * server is up, on every replica: the change feed (other replicas' commits, for this replica's
 * watchers and fleet state) and the heartbeat flush; the health monitor. On shutdown the queued
 * transitions and the last heartbeats are written.
 */
@Singleton
@Context
class RegistryLoops implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryLoops.class);

    private final NodeChangeFeed feed;
    private final HeartbeatService heartbeats;
    private final HealthMonitor monitor;
    private final TransitionBatcher transitions;
    private final RegistryConfig config;
    private final TaskScheduler scheduler;
    private final List<ScheduledFuture<?>> loops = new ArrayList<>();

    RegistryLoops(NodeChangeFeed feed, HeartbeatService heartbeats, HealthMonitor monitor, TransitionBatcher transitions,
                  RegistryConfig config, @Named("scheduled") TaskScheduler scheduler) {
        this.feed = feed;
        this.heartbeats = heartbeats;
        this.monitor = monitor;
        this.transitions = transitions;
        this.config = config;
        this.scheduler = scheduler;
        feed.load();
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (!loops.isEmpty()) {
            return;
        }
        loops.add(scheduler.scheduleWithFixedDelay(config.feedInterval(), config.feedInterval(), () -> guarded("change feed", feed::poll)));
        loops.add(scheduler.scheduleWithFixedDelay(config.flushInterval(), config.flushInterval(), () -> guarded("heartbeat flush", heartbeats::flush)));
        loops.add(scheduler.scheduleWithFixedDelay(config.monitorInterval(), config.monitorInterval(), () -> guarded("health monitor", monitor::tick)));
    }

    private static void guarded(String loop, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed; it runs again next interval", loop, e);
        }
    }

    @PreDestroy
    synchronized void stop() {
        loops.forEach(loop -> loop.cancel(false));
        transitions.stop();
        try {
            transitions.drain();
            heartbeats.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write the last transitions and heartbeats", e);
        }
    }
}
