package io.orchestry.provisioner.reconcile;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Result;

import java.time.Duration;

/** What applying one plan came to: when to look again, what the executor found wrong, the first failure that may pass. */
final class Outcome {
    private Duration requeue;
    private StatusPlanner.Finding finding;
    private RuntimeException failure;

    void requeueAfter(Duration after) {
        if (requeue == null || after.compareTo(requeue) < 0) {
            requeue = after;
        }
    }

    /** The app is degraded for this reason (the last finding wins: they are rare and each one is true). */
    void degraded(String reason, String message) {
        finding = new StatusPlanner.Finding(reason, message);
    }

    void failed(RuntimeException e) {
        if (failure == null) {
            failure = e;
        } else if (failure != e) {
            failure.addSuppressed(e);
        }
    }

    @Nullable
    StatusPlanner.Finding finding() {
        return finding;
    }

    @Nullable
    RuntimeException failure() {
        return failure;
    }

    /**
     * The controller's result: a failure is thrown (retried with backoff); a blocked app with nothing timed is terminal
     * until its spec changes; else requeue-after or done.
     */
    Result result(boolean blocked) throws RuntimeException {
        if (failure != null) {
            throw failure;
        }
        if (requeue != null) {
            return Result.requeueAfter(requeue);
        }
        if (blocked) {
            return Result.terminal(finding == null ? "blocked" : finding.reason() + ": " + finding.message());
        }
        return Result.done();
    }
}
