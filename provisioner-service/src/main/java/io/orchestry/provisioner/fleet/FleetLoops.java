package io.orchestry.provisioner.fleet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Backoff;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.LeaderGate;
import io.orchestry.controlloop.Leadership;
import io.orchestry.controlloop.LeadershipListener;
import io.orchestry.controlloop.Result;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.runtime.Drivers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The fleet's loops: the fleet watch on every replica (the endpoint needs the fleet too), the node agent on the leader
 * only (through a {@link LeaderGate}); a new leader reports every allocation again. Started once the server is up,
 * stopped at shutdown.
 */
@Singleton
@Requires(property = "orchestry.provisioner.loops.enabled", notEquals = "false")
@Requires(beans = {InstanceRepository.class, AppRepository.class})
public class FleetLoops implements ApplicationEventListener<ServerStartupEvent>, LeadershipListener {
    private final FleetWatch fleet;
    private final Leadership leadership;
    private final NodeAgent agent;
    private final Controller<String> agentLoop;
    private final ExecutorService nodeCalls;
    private LeaderGate gate;

    public FleetLoops(FleetWatch fleet, Drivers drivers, InstanceRepository instances, AppRepository apps,
                      NodeReporter reporter, Leadership leadership, FleetConfig config, AgentReach reach,
                      @Nullable Clock clock, @Nullable MeterRegistry meters) {
        this.fleet = fleet;
        this.leadership = leadership;
        this.nodeCalls = NodeThreads.pool("provisioner-fingerprint", config.nodeThreads());
        this.agent = new NodeAgent(fleet, drivers, instances, apps, reporter, new NodeFanout(nodeCalls), config,
                reach);
        this.agentLoop = agentLoop(agent, clock == null ? Clock.systemUTC() : clock, meters);
    }

    /** The node agent's rounds at the interval it asks for after each (the registry's, once it has said). */
    static Controller<String> agentLoop(NodeAgent agent, Clock clock, @Nullable MeterRegistry meters) {
        String name = "provisioner-node-agent";
        return Controller.<String>builder(name, key -> Result.requeueAfter(agent.tick()))
                .backoff(Backoff.of(Duration.ofMillis(100), agent.interval()))
                .enqueueOnStart(List.of(name))
                .clock(clock)
                .meterRegistry(meters)
                .build();
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (gate != null) {
            return;
        }
        fleet.start();
        leadership.addListener(this);
        gate = LeaderGate.of(leadership, agentLoop);
    }

    @Override
    public void elected(long epoch) {
        agent.forgetReported();
    }

    @Override
    public void deposed() {
        // the gate stops the loop
    }

    @PreDestroy
    synchronized void stop() {
        if (gate != null) {
            gate.close();
            leadership.removeListener(this);
        }
        agentLoop.stop();
        fleet.close();
        nodeCalls.shutdownNow();
    }
}
