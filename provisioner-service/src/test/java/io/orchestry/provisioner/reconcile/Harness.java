package io.orchestry.provisioner.reconcile;

import io.orchestry.controlloop.Result;
import io.orchestry.controlloop.SettableClock;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.NodeReach;
import io.orchestry.provisioner.fakes.FakeAppRepository;
import io.orchestry.provisioner.fakes.FakeDeploymentRepository;
import io.orchestry.provisioner.fakes.FakeDriver;
import io.orchestry.provisioner.fakes.FakeDriverFactory;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.placement.Placer;
import io.orchestry.provisioner.placement.ScoringPlacer;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.WorkloadStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The reconciler over the fakes, driven on the test's thread: {@link #reconcile} runs one pass, {@link #observe} plays
 * the fleet's InstanceObserver (an exited workload's row becomes FAILED) and HealthProber (a started row whose workload
 * runs becomes RUNNING and healthy, when the test's predicate says so).
 */
final class Harness {
    final SettableClock clock = new SettableClock();
    final FakeAppRepository apps = new FakeAppRepository();
    final FakeInstanceRepository instances = new FakeInstanceRepository();
    final FakeDeploymentRepository deployments = new FakeDeploymentRepository();
    final FakeFleet fleet;
    final FakeDriverFactory factory = new FakeDriverFactory(DriverKind.PROCESS, clock);
    final Drivers drivers = new Drivers(List.of(factory));
    final DrainRequests drains = new DrainRequests();
    /** What the node agent found, per node; a node not named here the agent tried and could not reach. */
    final java.util.Map<String, NodeReach.Reach> reach = new java.util.concurrent.ConcurrentHashMap<>();
    Placer placer = new ScoringPlacer();
    Predicate<Instance> healthy = i -> true;

    {
        apps.writeDeploymentsTo(deployments::update);
    }

    Harness(FleetNode... nodes) {
        fleet = new FakeFleet(nodes);
    }

    /** A reconciler as a new provisioner would build it, over the same fakes. */
    AppReconciler reconciler() {
        InstanceSteps steps = new InstanceSteps(apps, instances, placer, drivers, clock, ReconcileConfig.DEFAULTS);
        StepExecutor executor = new StepExecutor(apps, instances, deployments, steps, clock);
        return new AppReconciler(apps, deployments, instances, fleet, drivers, drains,
                node -> reach.getOrDefault(node, NodeReach.Reach.SILENT), executor, clock);
    }

    Result reconcile(String app) {
        return reconciler().reconcile(app);
    }

    /** Reconcile and observe until the steps change nothing more (at most 20 passes); each pass's check runs after it. */
    void converge(String app, Consumer<Harness> afterEachPass) {
        AppReconciler reconciler = reconciler();
        for (int pass = 0; pass < 20; pass++) {
            List<Instance> before = instances.byApp(app);
            Object status = apps.find(app).map(App::status).orElse(null);
            reconciler.reconcile(app);
            observe();
            afterEachPass.accept(this);
            if (before.equals(instances.byApp(app)) && java.util.Objects.equals(status,
                    apps.find(app).map(App::status).orElse(null))) {
                return;
            }
        }
        throw new AssertionError("no convergence in 20 passes: " + instances.byApp(app));
    }

    void converge(String app) {
        converge(app, h -> {
        });
    }

    void observe() {
        for (Instance row : instances.all()) {
            FakeDriver driver = factory.driver(row.nodeName());
            var workload = driver.workload(row.id());
            if (workload.isEmpty() || row.state() == InstanceState.PENDING) {
                continue;
            }
            WorkloadStatus w = workload.get();
            if (w.state() == WorkloadStatus.WorkloadState.EXITED && row.state() != InstanceState.FAILED) {
                instances.update(with(row, InstanceState.FAILED, InstanceHealth.UNKNOWN, false));
            } else if (w.state() == WorkloadStatus.WorkloadState.RUNNING && row.state() != InstanceState.FAILED) {
                boolean ok = healthy.test(row);
                InstanceHealth health = ok ? InstanceHealth.HEALTHY : InstanceHealth.UNHEALTHY;
                if (row.state() != InstanceState.RUNNING || row.health() != health) {
                    instances.update(with(row, InstanceState.RUNNING, health, ok));
                }
            }
        }
    }

    /** Every workload that runs on any node, all drivers together. */
    List<WorkloadStatus> running() {
        List<WorkloadStatus> all = new ArrayList<>();
        for (FleetNode node : fleet.nodes()) {
            factory.driver(node.name()).list(io.orchestry.provisioner.runtime.OwnerSelector.ALL).stream()
                    .filter(w -> w.state() == WorkloadStatus.WorkloadState.RUNNING).forEach(all::add);
        }
        return all;
    }

    private Instance with(Instance r, InstanceState state, InstanceHealth health, boolean healthyNow) {
        return new Instance(r.id(), r.app(), r.project(), r.revision(), r.nodeName(), r.driverKind(), r.host(),
                r.ports(), state, health, r.restartCount(), r.startTime(),
                healthyNow ? (r.healthySince() == null ? clock.instant() : r.healthySince()) : null, r.usage(),
                r.lastError(), r.runtimeId(), r.retiring(), r.createTime(), clock.instant());
    }
}
