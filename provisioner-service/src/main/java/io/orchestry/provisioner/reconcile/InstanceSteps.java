package io.orchestry.provisioner.reconcile;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.Revision;
import io.orchestry.provisioner.placement.Allocations;
import io.orchestry.provisioner.placement.Placer;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps that reach a node: place and start, start a recorded row, restart, stop, forget. A row is always written
 * before the driver is called, so a crash in between leaves a PENDING row that the next plan starts (the driver adopts a
 * workload of that id that already runs): never a duplicate.
 */
final class InstanceSteps {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSteps.class);

    private final AppRepository apps;
    private final InstanceRepository instances;
    private final Placer placer;
    private final Drivers drivers;
    private final Clock clock;
    private final ReconcileConfig config;

    InstanceSteps(AppRepository apps, InstanceRepository instances, Placer placer, Drivers drivers, Clock clock,
                  ReconcileConfig config) {
        this.apps = apps;
        this.instances = instances;
        this.placer = placer;
        this.drivers = drivers;
        this.clock = clock;
        this.config = config;
    }

    void place(App app, Step.Place step, Observed observed, Outcome outcome) {
        AppSpec spec = specOf(app, step.revision());
        List<String> chosen;
        try {
            chosen = placer.place(spec, step.count(), observed.nodes(), allocated(), appCounts(app.name()));
        } catch (ResourceExhaustedException e) {
            outcome.degraded(Conditions.INSUFFICIENT_CAPACITY, e.getMessage());
            outcome.requeueAfter(config.capacityRetry());
            return;
        }
        if (chosen.size() < step.count()) {
            outcome.degraded(Conditions.INSUFFICIENT_CAPACITY, "placed " + chosen.size() + " of " + step.count()
                    + " new replicas: no node has room for more");
            outcome.requeueAfter(config.capacityRetry());
        }
        for (String nodeName : chosen) {
            FleetNode node = observed.node(nodeName).orElseThrow(() ->
                    new IllegalStateException("the placer chose " + nodeName + ", which is not in the fleet"));
            Instant now = clock.instant();
            String id = "orchestry-" + app.name() + "-" + step.revision() + "-" + instances.nextOrdinal(app.name());
            Instance row = new Instance(id, app.name(), app.project(), step.revision(), node.name(), node.driverKind(),
                    "", List.of(), InstanceState.PENDING, InstanceHealth.UNKNOWN, 0, null, null, ComputeResources.ZERO,
                    "", "", false, now, now);
            instances.insert(row);
            launch(app, spec, row, node, 0, outcome);
        }
        if (!chosen.isEmpty()) {
            outcome.requeueAfter(Planner.SETTLE); // their health changes without an app event
        }
    }

    void start(App app, String id, Observed observed, Outcome outcome) {
        Optional<Instance> row = instances.find(id);
        Optional<FleetNode> node = row.flatMap(r -> observed.node(r.nodeName()));
        if (row.isEmpty() || node.isEmpty() || row.get().state() != InstanceState.PENDING) {
            return; // gone or moved on since the plan: the next plan sees it
        }
        launch(app, specOf(app, row.get().revision()), row.get(), node.get(), row.get().restartCount(), outcome);
    }

    void restart(App app, String id, Observed observed, Outcome outcome) {
        Optional<Instance> row = instances.find(id);
        Optional<FleetNode> node = row.flatMap(r -> observed.node(r.nodeName()));
        if (row.isEmpty() || node.isEmpty()) {
            return;
        }
        driver(node.get()).destroy(new WorkloadId(id), true);
        launch(app, specOf(app, row.get().revision()), row.get(), node.get(), row.get().restartCount() + 1, outcome);
    }

    /** Stops with the grace, destroys what it left, deletes the row. */
    void stop(String id, Observed observed) {
        Optional<Instance> row = instances.find(id);
        if (row.isEmpty()) {
            return;
        }
        Optional<FleetNode> node = observed.node(row.get().nodeName());
        if (node.isPresent()) {
            RuntimeDriver driver = driver(node.get());
            driver.stop(new WorkloadId(id), config.stopGrace());
            driver.destroy(new WorkloadId(id), false);
        }
        instances.delete(id);
    }

    /**
     * The row of a replica on a DOWN or vanished node: only the row goes. Its driver is not called — a node whose engine
     * hangs would hold the Place step that replaces the replica for the client's timeout; if the node comes back, the
     * orphan reaper removes the workload (ours, without a row, older than its grace).
     */
    void forget(String id) {
        if (instances.find(id).isPresent()) {
            LOG.info("{}: forgotten, its node is down or gone; the orphan reaper removes it if the node returns", id);
            instances.delete(id);
        }
    }

    private void launch(App app, AppSpec spec, Instance row, FleetNode node, int restarts, Outcome outcome) {
        WorkloadSpec workload = new WorkloadSpec(new WorkloadId(row.id()),
                new OwnerLabels(app.name(), app.project(), row.revision(), row.id(), row.createTime()),
                spec.runtime(), spec.env(), spec.ports(), spec.resources().limits());
        Instant now = clock.instant();
        WorkloadHandle handle;
        try {
            handle = driver(node).start(workload);
        } catch (NotOnNodeException e) {
            instances.update(with(row, InstanceState.FAILED, row.host(), row.ports(), row.runtimeId(), row.startTime(),
                    restarts, e.getMessage(), now));
            outcome.degraded(e.missing() == NotOnNodeException.Missing.IMAGE ? Conditions.IMAGE_NOT_FOUND
                    : Conditions.INVALID_SPEC, row.id() + " cannot start: " + e.getMessage());
            return; // blocking: nothing of this spec starts until it changes
        } catch (FailedPreconditionException e) {
            // may pass (a port taken, a node-side problem): the row stays PENDING, the next pass starts it after backoff
            instances.update(with(row, InstanceState.PENDING, row.host(), row.ports(), row.runtimeId(), row.startTime(),
                    restarts, e.getMessage(), now));
            outcome.degraded(Conditions.START_FAILED, row.id() + " did not start: " + e.getMessage());
            outcome.failed(e);
            return;
        }
        instances.update(with(row, InstanceState.STARTING, handle.host(), handle.ports(), handle.runtimeId(),
                handle.startedAt(), restarts, "", now));
    }

    private static Instance with(Instance r, InstanceState state, String host, List<io.orchestry.provisioner.domain.InstancePort> ports,
                                 String runtimeId, Instant startTime, int restarts, String error, Instant now) {
        return new Instance(r.id(), r.app(), r.project(), r.revision(), r.nodeName(), r.driverKind(), host, ports, state,
                InstanceHealth.UNKNOWN, restarts, startTime, null, r.usage(), error, runtimeId, r.retiring(),
                r.createTime(), now);
    }

    private AppSpec specOf(App app, long revision) {
        if (revision == app.revision()) {
            return app.spec();
        }
        return apps.revision(app.name(), revision).map(Revision::spec)
                .orElseThrow(() -> new IllegalStateException("app " + app.name() + " has no revision " + revision));
    }

    private RuntimeDriver driver(FleetNode node) {
        return drivers.forNode(new NodeTarget(node.name(), node.driverKind(), node.endpoint(), node.address()));
    }

    /** What every replica on each node reserves (its revision's requests), all apps together. */
    private Map<String, ComputeResources> allocated() {
        Map<String, ComputeResources> requests = new HashMap<>();
        return Allocations.of(instances.all(), i -> requests.computeIfAbsent(i.app() + "/" + i.revision(),
                key -> requestsOf(i.app(), i.revision()))).requests();
    }

    private ComputeResources requestsOf(String appName, long revision) {
        Optional<App> app = apps.find(appName);
        if (app.isPresent() && app.get().revision() == revision) {
            return app.get().spec().resources().requests();
        }
        return apps.revision(appName, revision).map(r -> r.spec().resources().requests()).orElse(ComputeResources.ZERO);
    }

    private Map<String, Integer> appCounts(String app) {
        return Allocations.of(instances.byApp(app), i -> ComputeResources.ZERO).counts();
    }
}
