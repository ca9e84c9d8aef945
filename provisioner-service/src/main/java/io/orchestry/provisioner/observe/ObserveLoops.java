package io.orchestry.provisioner.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.LeaderGate;
import io.orchestry.controlloop.Leadership;
import io.orchestry.provisioner.domain.AppChangeListener;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.fleet.NodeFanout;
import io.orchestry.provisioner.fleet.NodeThreads;
import io.orchestry.provisioner.runtime.Drivers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The observe loops, on the leader only (one {@link LeaderGate}): the instance observer, the health prober and the stats
 * collector, each on its own interval and its own small pool. Started once the server is up, stopped at shutdown.
 */
@Singleton
@Requires(property = "orchestry.provisioner.loops.enabled", notEquals = "false")
@Requires(beans = {InstanceRepository.class, AppRepository.class, AppChangeListener.class})
public class ObserveLoops implements ApplicationEventListener<ServerStartupEvent> {
    private final Leadership leadership;
    private final List<Controller<String>> loops;
    private final List<ExecutorService> pools;
    private LeaderGate gate;

    public ObserveLoops(Fleet fleet, Drivers drivers, InstanceRepository instances, AppRepository apps,
                        AppChangeListener listener, Leadership leadership, ObserveConfig config,
                        @Nullable Clock clock, @Nullable MeterRegistry meters) {
        this.leadership = leadership;
        Clock time = clock == null ? Clock.systemUTC() : clock;
        InstanceWriter writer = new InstanceWriter(instances);
        ExecutorService listPool = NodeThreads.pool("provisioner-observe", config.nodeThreads());
        ExecutorService probePool = NodeThreads.pool("provisioner-probe", config.probeThreads());
        ExecutorService statsPool = NodeThreads.pool("provisioner-stats", config.nodeThreads());
        this.pools = List.of(listPool, probePool, statsPool);
        InstanceObserver observer = new InstanceObserver(fleet, drivers, instances, writer, listener,
                new NodeFanout(listPool), config.nodeTimeout(), time);
        HealthProber prober = new HealthProber(instances, apps, writer, listener, new HealthProbes(fleet, drivers),
                probePool, time);
        StatsCollector stats = new StatsCollector(fleet, drivers, instances, writer, new NodeFanout(statsPool),
                config.nodeTimeout());
        this.loops = List.of(
                Controller.periodic("provisioner-observe", config.observeInterval(), observer::tick, time, meters),
                Controller.periodic("provisioner-probe", config.probeTick(), prober::tick, time, meters),
                Controller.periodic("provisioner-probe-extra", HealthProber.EXTRA_SPACING, prober::tickExtra, time, meters),
                Controller.periodic("provisioner-stats", config.statsInterval(), stats::tick, time, meters));
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (gate == null) {
            gate = LeaderGate.of(leadership, loops.toArray(new Controller<?>[0]));
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (gate != null) {
            gate.close();
        }
        loops.forEach(Controller::stop);
        pools.forEach(ExecutorService::shutdownNow);
    }
}
