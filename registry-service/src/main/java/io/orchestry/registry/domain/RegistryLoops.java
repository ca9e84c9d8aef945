package io.orchestry.registry.domain;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.TaskScheduler;
import io.orchestry.registry.config.RegistryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Starts the registry's loops once the server is up: the fleet is loaded into memory, then the
 * heartbeat flush and the health monitor run on the scheduler. On shutdown the last heartbeats
 * are flushed.
 */
@Singleton
@Context
class RegistryLoops implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryLoops.class);

    private final NodeService nodes;
    private final HeartbeatService heartbeats;
    private final HealthMonitor monitor;
    private final RegistryConfig config;
    private final TaskScheduler scheduler;
    private final List<ScheduledFuture<?>> loops = new ArrayList<>();

    RegistryLoops(NodeService nodes, HeartbeatService heartbeats, HealthMonitor monitor, RegistryConfig config,
                  @Named("scheduled") TaskScheduler scheduler) {
        this.nodes = nodes;
        this.heartbeats = heartbeats;
        this.monitor = monitor;
        this.config = config;
        this.scheduler = scheduler;
        nodes.loadFleet();
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (!loops.isEmpty()) {
            return;
        }
        loops.add(scheduler.scheduleWithFixedDelay(config.flushInterval(), config.flushInterval(), () -> guarded("heartbeat flush", () -> heartbeats.flush())));
        loops.add(scheduler.scheduleWithFixedDelay(config.monitorInterval(), config.monitorInterval(), () -> guarded("health monitor", () -> monitor.tick())));
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
        try {
            heartbeats.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write the last heartbeats", e);
        }
    }
}
