package io.orchestry.provisioner.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Backoff;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.LeaderGate;
import io.orchestry.controlloop.Leadership;
import io.orchestry.provisioner.domain.AppChangeListener;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.DeploymentRepository;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.NodeDrainer;
import io.orchestry.provisioner.domain.NodeReach;
import io.orchestry.provisioner.placement.Placer;
import io.orchestry.provisioner.runtime.Drivers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The reconcile loops, wired: the app reconciler (workers, backoff, resync over every app) and the orphan reaper, on
 * the leader only through one {@link LeaderGate}, started once the server is up (Flyway has run). Events enqueue: an app
 * change ({@link AppChangeListener}), a node change (every app with an instance there), a drain ({@link NodeDrainer}).
 */
@Singleton
@Requires(property = "orchestry.provisioner.loops.enabled", notEquals = "false")
@Requires(beans = {AppRepository.class, InstanceRepository.class, DeploymentRepository.class, Fleet.class, Placer.class})
public class ReconcileLoops implements AppChangeListener, NodeDrainer, ApplicationEventListener<ServerStartupEvent> {
    private final InstanceRepository instances;
    private final Leadership leadership;
    private final DrainRequests drains = new DrainRequests();
    private final Controller<String> appLoop;
    private final Controller<String> orphanLoop;
    private LeaderGate gate;

    public ReconcileLoops(AppRepository apps, InstanceRepository instances, DeploymentRepository deployments,
                          Fleet fleet, NodeReach reach, Placer placer, Drivers drivers, Leadership leadership,
                          ReconcileConfig config, OrphanConfig orphans, Clock time, @Nullable MeterRegistry meters) {
        this.instances = instances;
        this.leadership = leadership;
        InstanceSteps instanceSteps = new InstanceSteps(apps, instances, placer, drivers, time, config);
        StepExecutor executor = new StepExecutor(apps, instances, deployments, instanceSteps, time);
        AppReconciler reconciler = new AppReconciler(apps, deployments, instances, fleet, drivers, drains, reach,
                executor, time);
        this.appLoop = Controller.builder("provisioner-reconcile", reconciler)
                .workers(config.workers())
                .backoff(Backoff.of(Duration.ofMillis(200), Duration.ofMinutes(2)))
                .resync(config.resync(), apps::names)
                .clock(time)
                .meterRegistry(meters)
                .build();
        OrphanReaper reaper = new OrphanReaper(instances, fleet, drivers, orphans.grace(), orphans.dryRun(), time);
        this.orphanLoop = Controller.periodic("provisioner-orphans", orphans.interval(), reaper::reap, time, meters);
        fleet.addListener(this::nodeChanged);
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (gate == null) {
            gate = LeaderGate.of(leadership, appLoop, orphanLoop);
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (gate != null) {
            gate.close();
        }
        appLoop.stop();
        orphanLoop.stop();
    }

    @Override
    public void changed(String app) {
        appLoop.enqueue(app);
    }

    @Override
    public int drain(String nodeName, Instant deadline) {
        drains.request(nodeName, deadline);
        List<Instance> there = instances.byNode(nodeName);
        there.stream().map(Instance::app).distinct().forEach(appLoop::enqueue);
        return there.size();
    }

    private void nodeChanged(String node) {
        instances.byNode(node).stream().map(Instance::app).distinct().forEach(appLoop::enqueue);
    }
}
