package io.orchestry.provisioner.reconcile;

import io.orchestry.controlloop.Result;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.Deployment.DeploymentState;
import io.orchestry.provisioner.domain.DeploymentRepository;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.Revision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Applies a plan's steps in order, each idempotently. A step that fails with something that may pass (a node that does
 * not answer) does not stop the others; the first such failure is rethrown at the end so the controller retries with
 * backoff. What the steps find (no capacity, a missing image or executable) becomes the Degraded condition of the status
 * written last.
 */
public final class StepExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);

    private final AppRepository apps;
    private final InstanceRepository instances;
    private final DeploymentRepository deployments;
    private final InstanceSteps instanceSteps;
    private final Clock clock;

    StepExecutor(AppRepository apps, InstanceRepository instances, DeploymentRepository deployments,
                 InstanceSteps instanceSteps, Clock clock) {
        this.apps = apps;
        this.instances = instances;
        this.deployments = deployments;
        this.instanceSteps = instanceSteps;
        this.clock = clock;
    }

    /** Applies the steps to the app as it was planned from; the controller's result. */
    public Result apply(App app, Observed observed, List<Step> steps) {
        return apply(app, observed, steps, null);
    }

    /** Like {@link #apply(App, Observed, List)}, the app already found degraded for a reason (null: none). */
    Result apply(App app, Observed observed, List<Step> steps, StatusPlanner.Finding found) {
        Outcome outcome = new Outcome();
        if (found != null) {
            outcome.degraded(found.reason(), found.message());
        }
        AppStatus status = null;
        boolean removed = false;
        for (Step step : steps) {
            try {
                removed |= applyOne(app, step, observed, outcome);
                if (step instanceof Step.WriteStatus write) {
                    status = write.status();
                }
            } catch (RuntimeException e) {
                LOG.debug("{}: {} failed: {}", app.name(), step, e.getMessage());
                outcome.failed(e);
            }
        }
        if (!removed) {
            writeStatus(app, status, outcome);
        }
        boolean blocked = Conditions.blocked(status == null ? app.status() : status, app.generation())
                || (outcome.finding() != null && Conditions.BLOCKING.contains(outcome.finding().reason()));
        return outcome.result(blocked);
    }

    /** True when the step removed the app. */
    private boolean applyOne(App app, Step step, Observed observed, Outcome outcome) {
        if (step instanceof Step.Place place) {
            instanceSteps.place(app, place, observed, outcome);
        } else if (step instanceof Step.Start start) {
            instanceSteps.start(app, start.instanceId(), observed, outcome);
        } else if (step instanceof Step.Restart restart) {
            instanceSteps.restart(app, restart.instanceId(), observed, outcome);
        } else if (step instanceof Step.Retire retire) {
            retire(retire);
        } else if (step instanceof Step.Stop stop) {
            instanceSteps.stop(stop.instanceId(), observed);
        } else if (step instanceof Step.Forget forget) {
            instanceSteps.forget(forget.instanceId());
        } else if (step instanceof Step.AdvanceDeployment advance) {
            deployments.update(advance.deployment());
        } else if (step instanceof Step.RollBack rollBack) {
            rollBack(app, rollBack);
        } else if (step instanceof Step.RemoveApp) {
            apps.remove(app.name());
            return true;
        } else if (step instanceof Step.Requeue requeue) {
            outcome.requeueAfter(requeue.after());
        }
        return false; // WriteStatus: written last, with what the other steps found
    }

    private void retire(Step.Retire step) {
        Optional<Instance> row = instances.find(step.instanceId());
        if (row.isEmpty() || row.get().retiring()) {
            return;
        }
        Instance r = row.get();
        LOG.info("{}: retiring {}: {}", r.app(), r.id(), step.reason());
        instances.update(new Instance(r.id(), r.app(), r.project(), r.revision(), r.nodeName(), r.driverKind(),
                r.host(), r.ports(), r.state(), r.health(), r.restartCount(), r.startTime(), r.healthySince(),
                r.usage(), r.lastError(), r.runtimeId(), true, r.createTime(), clock.instant()));
    }

    private void rollBack(App app, Step.RollBack step) {
        Deployment d = step.deployment();
        Optional<Revision> to = apps.revision(app.name(), step.toRevision());
        DeploymentState state = to.isPresent() ? DeploymentState.ROLLED_BACK : DeploymentState.FAILED;
        String message = to.isPresent() ? step.reason() : step.reason() + "; revision " + step.toRevision() + " is gone";
        Deployment ended = new Deployment(d.id(), d.app(), d.project(), d.fromRevision(), d.toRevision(), state,
                d.strategy(), d.trigger(), message, d.updatedReplicas(), d.desiredReplicas(), d.createTime(),
                d.startTime() == null ? clock.instant() : d.startTime(), clock.instant());
        if (to.isEmpty()) {
            deployments.update(ended);
        } else if (apps.restore(app, to.get(), ended).isPresent()) {
            LOG.warn("{}: {}", app.name(), message);
        } else {
            LOG.info("{}: not rolled back to revision {}: the app was updated since the plan", app.name(),
                    step.toRevision());
        }
    }

    private void writeStatus(App app, AppStatus planned, Outcome outcome) {
        AppStatus status = planned == null ? app.status() : planned;
        if (outcome.finding() != null) {
            status = Conditions.withDegraded(status, app.status().conditions(), outcome.finding().reason(),
                    outcome.finding().message(), clock.instant());
        }
        if (!status.equals(app.status())) {
            try {
                apps.writeStatus(app.name(), status);
            } catch (RuntimeException e) {
                outcome.failed(e);
            }
        }
    }
}
