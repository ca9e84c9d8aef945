package io.orchestry.controlloop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * What a controller shows on /prometheus, tagged {@code controller=<name>}: how many keys wait
 * (a growing depth means the loop cannot keep up), how long reconciles take, and how many fail.
 */
final class ControllerMetrics {
    static final String DEPTH = "orchestry.controller.queue.depth";
    static final String WAITING = "orchestry.controller.queue.waiting";
    static final String DURATION = "orchestry.controller.reconcile.duration";
    static final String ERRORS = "orchestry.controller.reconcile.errors";

    private final Timer duration;
    private final Counter exceptions;
    private final Counter terminals;

    ControllerMetrics(MeterRegistry registry, String controller, WorkQueue<?> queue) {
        Gauge.builder(DEPTH, queue, WorkQueue::depth).tag("controller", controller)
                .description("keys due to be reconciled").register(registry);
        Gauge.builder(WAITING, queue, WorkQueue::waiting).tag("controller", controller)
                .description("keys waiting for a requeue delay or a backoff").register(registry);
        this.duration = Timer.builder(DURATION).tag("controller", controller)
                .description("time one reconcile takes").register(registry);
        this.exceptions = Counter.builder(ERRORS).tag("controller", controller).tag("kind", "exception")
                .description("reconciles that failed: exceptions (retried) and terminal results (not retried)")
                .register(registry);
        this.terminals = Counter.builder(ERRORS).tag("controller", controller).tag("kind", "terminal")
                .description("reconciles that failed: exceptions (retried) and terminal results (not retried)")
                .register(registry);
    }

    void reconciled(long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void exception() {
        exceptions.increment();
    }

    void terminal() {
        terminals.increment();
    }
}
