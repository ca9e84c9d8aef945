package io.orchestry.provisioner.reconcile;

import io.orchestry.controlloop.Reconciler;
import io.orchestry.controlloop.Result;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.DeploymentRepository;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.NodeReach;
import io.orchestry.provisioner.runtime.Drivers;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles one app (the key is its name): re-reads the app, its rollout, its instance rows and the fleet, plans
 * ({@link Planner}) and applies the steps ({@link StepExecutor}). An app whose runtime this provisioner has no driver
 * for is Degraded (InvalidSpec) and terminal until it changes.
 */
public final class AppReconciler implements Reconciler<String> {
    private final AppRepository apps;
    private final DeploymentRepository deployments;
    private final InstanceRepository instances;
    private final Fleet fleet;
    private final Drivers drivers;
    private final DrainRequests drains;
    private final NodeReach reach;
    private final StepExecutor executor;
    private final Clock clock;

    AppReconciler(AppRepository apps, DeploymentRepository deployments, InstanceRepository instances, Fleet fleet,
                  Drivers drivers, DrainRequests drains, NodeReach reach, StepExecutor executor, Clock clock) {
        this.apps = apps;
        this.deployments = deployments;
        this.instances = instances;
        this.fleet = fleet;
        this.drivers = drivers;
        this.drains = drains;
        this.reach = reach;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String name) {
        Optional<App> found = apps.find(name);
        if (found.isEmpty()) {
            return Result.done(); // removed: nothing of it is left to look after
        }
        App app = found.get();
        if (!fleet.listed()) {
            return Result.requeueAfter(java.time.Duration.ofSeconds(1)); // the nodes are not known yet, not gone
        }
        Observed observed = new Observed(instances.byApp(name),
                DownNodes.confirmed(drains.overlay(fleet.nodes()), reach, drivers));
        Instant now = clock.instant();
        DriverKind kind = app.spec().runtime().driverKind();
        if (!drivers.supports(kind) && app.desiredReplicas() > 0) {
            return unsupported(app, observed, kind);
        }
        List<Step> steps = Planner.plan(new Desired(app, deployments.active(name)), observed, now);
        return executor.apply(app, observed, steps);
    }

    private Result unsupported(App app, Observed observed, DriverKind kind) {
        List<Step> steps = Planner.plan(new Desired(app, deployments.active(app.name())), observed, clock.instant())
                .stream().filter(s -> !(s instanceof Step.Place)).toList();
        String message = "this provisioner has no " + kind.name().toLowerCase(java.util.Locale.ROOT) + " driver";
        return executor.apply(app, observed, steps, new StatusPlanner.Finding(Conditions.INVALID_SPEC, message));
    }
}
