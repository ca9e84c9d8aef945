package io.orchestry.registry.loops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.LeaderGate;
import io.orchestry.controlloop.Leadership;
import io.orchestry.registry.config.RegistryConfig;
import io.orchestry.registry.domain.Fencing;
import io.orchestry.registry.domain.HealthMonitor;
import io.orchestry.registry.domain.HeartbeatService;
import io.orchestry.registry.domain.NodeChangeFeed;
import io.orchestry.registry.domain.TransitionBatcher;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The registry's loops, all on control-loop. At start-up the fleet is loaded into memory from the
 * database; once the server is up, on every replica: the change feed (other replicas' commits, for
 * this replica's watchers and fleet state) and the heartbeat flush; on the leader only, through a
 * {@link LeaderGate}: the health monitor, whose writes are fenced with the epoch it leads under. The
 * transition batcher's loop ({@link TransitionLoop}) runs on every replica. On shutdown the queued
 * transitions and the last heartbeats are written.
 */
@Singleton
@Context
class RegistryLoops implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryLoops.class);

    private final HeartbeatService heartbeats;
    private final TransitionBatcher transitions;
    private final TransitionLoop transitionLoop;
    private final Leadership leadership;
    private final Controller<String> feedLoop;
    private final Controller<String> flushLoop;
    private final Controller<String> monitorLoop;
    private LeaderGate monitorGate;

    RegistryLoops(NodeChangeFeed feed, HeartbeatService heartbeats, HealthMonitor monitor, TransitionBatcher transitions,
                  TransitionLoop transitionLoop, Leadership leadership, RegistryConfig config, Clock clock,
                  @Nullable MeterRegistry meters) {
        this.heartbeats = heartbeats;
        this.transitions = transitions;
        this.transitionLoop = transitionLoop;
        this.leadership = leadership;
        feed.load();
        this.feedLoop = Controller.periodic("registry-change-feed", config.feedInterval(), feed::poll, clock, meters);
        this.flushLoop = Controller.periodic("registry-heartbeat-flush", config.flushInterval(), heartbeats::flush, clock, meters);
        this.monitorLoop = Controller.periodic("registry-health-monitor", config.monitorInterval(),
                () -> monitor.tick(fencing()), clock, meters);
    }

    /** What the monitor's writes are fenced with: the epoch this replica leads under (none without election). */
    private Fencing fencing() {
        return leadership.electionEnabled() ? new Fencing(leadership.name(), leadership.heldEpoch()) : Fencing.NONE;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (monitorGate != null) {
            return;
        }
        transitionLoop.start();
        feedLoop.start();
        flushLoop.start();
        monitorGate = LeaderGate.of(leadership, monitorLoop);
    }

    @PreDestroy
    synchronized void stop() {
        if (monitorGate != null) {
            monitorGate.close();
        }
        for (Controller<String> loop : List.of(monitorLoop, feedLoop, flushLoop)) {
            loop.stop();
        }
        transitions.stop();
        transitionLoop.stop();
        try {
            transitions.drain();
            heartbeats.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write the last transitions and heartbeats", e);
        }
    }
}
