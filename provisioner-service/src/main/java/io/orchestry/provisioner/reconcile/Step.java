package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Deployment;

import java.time.Duration;

/**
 * One idempotent thing the {@link StepExecutor} does to bring an app's observed state to its desired state, as the
 * {@link Planner} decided it. Every step is safe to apply again (after a crash, on a duplicate reconcile).
 */
public sealed interface Step {

    /** New replicas of {@code revision}: placed, recorded PENDING, then started. */
    record Place(int count, long revision) implements Step {
    }

    /** A PENDING row whose workload was never started (a crash between the insert and the driver call). */
    record Start(String instanceId) implements Step {
    }

    /** A replica that exited and may run again per the restart policy: destroyed and started under the same id. */
    record Restart(String instanceId) implements Step {
    }

    /** Marks a replica as chosen to go (it gets no more traffic); a {@link Stop} follows. */
    record Retire(String instanceId, String reason) implements Step {
    }

    /** Stops with the grace, destroys, deletes the row. */
    record Stop(String instanceId) implements Step {
    }

    /** The row of a replica on a DOWN or vanished node: a best-effort stop, then the row goes (it is placed elsewhere). */
    record Forget(String instanceId) implements Step {
    }

    /** Writes the rollout's new state (started, counts, succeeded, failed, superseded). */
    record AdvanceDeployment(Deployment deployment) implements Step {
    }

    /** The progress deadline passed: the deployment is ROLLED_BACK with the reason, the app's spec restored. */
    record RollBack(Deployment deployment, long toRevision, String reason) implements Step {
    }

    /** A deleting app of which nothing is left: its row goes. */
    record RemoveApp() implements Step {
    }

    /** The status as observed now (only planned when it differs from the stored one). */
    record WriteStatus(AppStatus status) implements Step {
    }

    /** Something timed is due later (min ready, restart backoff, progress or drain deadline): look again then. */
    record Requeue(Duration after, String why) implements Step {
    }
}
