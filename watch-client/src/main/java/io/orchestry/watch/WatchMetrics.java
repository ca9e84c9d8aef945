package io.orchestry.watch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** What a client counts, in Micrometer when the client is given a registry (its loop's meters are control-loop's). */
interface WatchMetrics {
    WatchMetrics NONE = new WatchMetrics() {
    };

    /** A list delivered a snapshot. */
    default void listed() {
    }

    /** A broken stream is followed again from the last version. */
    default void resumed() {
    }

    /** The buffer filled: the stream was dropped. */
    default void overflowed() {
    }

    /** An event was buffered; {@code depth} events wait now. */
    default void received(int depth) {
    }

    /** Meters tagged {@code watch=<name>}: lists, resumes, overflows, events and the buffer depth at each. */
    static WatchMetrics micrometer(MeterRegistry registry, String name) {
        Counter lists = Counter.builder("orchestry.watch.lists").tag("watch", name)
                .description("full lists (first, and after a too-old version or an overflow)").register(registry);
        Counter resumes = Counter.builder("orchestry.watch.resumes").tag("watch", name)
                .description("streams followed again from the last version seen").register(registry);
        Counter overflows = Counter.builder("orchestry.watch.overflows").tag("watch", name)
                .description("streams dropped because the listener fell a full buffer behind").register(registry);
        DistributionSummary depth = DistributionSummary.builder("orchestry.watch.buffered").tag("watch", name)
                .description("events waiting for the listener, as each arrives").register(registry);
        return new WatchMetrics() {
            @Override
            public void listed() {
                lists.increment();
            }

            @Override
            public void resumed() {
                resumes.increment();
            }

            @Override
            public void overflowed() {
                overflows.increment();
            }

            @Override
            public void received(int buffered) {
                depth.record(buffered);
            }
        };
    }
}
