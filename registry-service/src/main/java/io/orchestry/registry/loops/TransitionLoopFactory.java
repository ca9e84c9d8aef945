package io.orchestry.registry.loops;

import io.micronaut.context.annotation.Factory;
import io.micronaut.scheduling.TaskExecutors;
import io.orchestry.registry.domain.NodeTransitions;
import io.orchestry.registry.domain.TransitionBatcher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** The transition batcher and the single-key loop that drains it: many wakes, one drain at a time. */
@Factory
class TransitionLoopFactory {

    @Singleton
    TransitionBatcher transitionBatcher(NodeTransitions transitions, @Named(TaskExecutors.IO) ExecutorService executor) {
        AtomicReference<TransitionBatcher> batcher = new AtomicReference<>();
        AtomicBoolean queued = new AtomicBoolean();
        batcher.set(new TransitionBatcher(transitions, () -> {
            if (queued.compareAndSet(false, true)) {
                executor.execute(() -> {
                    queued.set(false);
                    batcher.get().drain();
                });
            }
        }));
        return batcher.get();
    }
}
