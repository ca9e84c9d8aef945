package io.orchestry.registry.loops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.Result;
import io.orchestry.registry.domain.NodeTransitions;
import io.orchestry.registry.domain.TransitionBatcher;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loop that drains the {@link TransitionBatcher}: a controller with a single key. A submit
 * enqueues the key; the work queue holds a queued key once however often it is enqueued, and never
 * hands it to two workers at once, so whatever waits when the reconcile begins is written in one
 * batch, and a submit during a reconcile runs it again right after: group commit.
 */
final class TransitionLoop {
    private final Controller<String> controller;

    private TransitionLoop(Controller<String> controller) {
        this.controller = controller;
    }

    void start() {
        controller.start();
    }

    void stop() {
        controller.stop();
    }

    @Factory
    static class Beans {
        private final AtomicReference<TransitionBatcher> batcher = new AtomicReference<>();

        @Singleton
        TransitionLoop transitionLoop(Clock clock, @Nullable MeterRegistry meters) {
            return new TransitionLoop(Controller.<String>builder("registry-transitions", key -> {
                        batcher.get().drain();
                        return Result.done();
                    })
                    .clock(clock)
                    .meterRegistry(meters)
                    .build());
        }

        @Singleton
        TransitionBatcher transitionBatcher(NodeTransitions transitions, TransitionLoop loop) {
            TransitionBatcher made = new TransitionBatcher(transitions, () -> loop.controller.enqueue(TransitionBatcher.KEY));
            batcher.set(made);
            return made;
        }
    }
}
