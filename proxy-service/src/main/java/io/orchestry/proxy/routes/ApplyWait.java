package io.orchestry.proxy.routes;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.proxy.domain.ApplyRequests;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionTrigger;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the apply loop (when this replica has one) to render and apply after a change, and waits up to
 * {@code orchestry.proxy.apply.wait} for the revision's final outcome; past that, the revision as it is (PENDING).
 */
@Singleton
public class ApplyWait {
    private final @Nullable ApplyRequests apply;
    private final Duration wait;

    public ApplyWait(@Nullable ApplyRequests apply, @Value("${orchestry.proxy.apply.wait:5s}") Duration wait) {
        this.apply = apply;
        this.wait = wait;
    }

    public boolean present() {
        return apply != null;
    }

    /** The revision that carries the change; empty when nothing applies here (no apply loop, not the leader). */
    public Optional<Revision> after(RevisionTrigger trigger, String reason) {
        if (apply == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(await(apply.request(trigger, reason)));
        } catch (IllegalStateException notHere) {
            return apply.latest();
        }
    }

    /** ReloadProxy: FAILED_PRECONDITION when this replica does not drive nginx. */
    public Revision reload(String reason) {
        if (apply == null) {
            throw new FailedPreconditionException("nginx is not driven by this replica");
        }
        try {
            return await(apply.request(RevisionTrigger.MANUAL, reason));
        } catch (IllegalStateException notHere) {
            throw new FailedPreconditionException(notHere.getMessage() == null ? "this replica does not apply" : notHere.getMessage());
        }
    }

    private Revision await(CompletableFuture<Revision> request) {
        try {
            return request.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillPending) {
            return apply.latest().orElseThrow(() -> new IllegalStateException("the apply loop has no revision yet"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the revision", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
