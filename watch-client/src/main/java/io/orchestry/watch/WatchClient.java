package io.orchestry.watch;

import io.micrometer.core.instrument.MeterRegistry;
import io.orchestry.controlloop.Backoff;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.Result;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * List-then-watch over any list RPC and watch RPC, like a Kubernetes reflector: list every page
 * for a snapshot and its resource version, then follow the watch stream from that version,
 * delivering each change in order. A broken stream is watched again from the last version
 * delivered (no gap, no duplicate) after a jittered backoff, which starts over once a stream has
 * stayed up for a healthy while; OUT_OF_RANGE ("too old to replay") makes it list again.
 *
 * <p>Events wait in a buffer of {@link Builder#bufferSize} for the listener, which runs on the
 * client's own thread, never on the transport's. A listener that falls a whole buffer behind has
 * the stream dropped and gets a new snapshot instead (one list replaces the changes it could not
 * keep up with), so memory stays bounded and the transport is never held up. {@link #stop()}
 * ends the stream and the thread.
 */
public final class WatchClient<T> implements AutoCloseable {
    /** The one key of the client's loop: every step is "do what is due". */
    private static final String STEP = "step";

    private final WatchFollower<T> follower;
    private final Controller<String> loop;

    private WatchClient(Builder<T> builder) {
        WatchMetrics metrics = builder.meterRegistry == null ? WatchMetrics.NONE
                : WatchMetrics.micrometer(builder.meterRegistry, builder.name);
        @SuppressWarnings("unchecked") Controller<String>[] loopRef = new Controller[1];
        this.follower = new WatchFollower<>(builder.name, builder.lister, builder.watcher, builder.listener, builder.backoff,
                builder.healthyAfter, builder.clock, builder.bufferSize, metrics, () -> loopRef[0].enqueue(STEP));
        // one worker, one key: the listener is called by one thread at a time, in order
        this.loop = Controller.<String>builder("watch-" + builder.name, key -> {
                    Duration next = follower.step();
                    return next == null ? Result.done() : Result.requeueAfter(next);
                })
                .backoff(builder.backoff)
                .clock(builder.clock)
                .meterRegistry(builder.meterRegistry)
                .enqueueOnStart(List.of(STEP))
                .build();
        loopRef[0] = loop;
    }

    /**
     * Starts building a client that lists, then watches from the listed resource version.
     *
     * @param name     names the thread, the log lines and the meters
     * @param lister   one page of the list (see {@link GrpcWatch#lister})
     * @param watcher  the watch from a resource version (see {@link GrpcWatch#watcher})
     * @param listener where snapshots and events go
     */
    public static <T> Builder<T> builder(String name, Lister<T> lister, Watcher<T> watcher, WatchListener<T> listener) {
        return new Builder<>(name, lister, watcher, listener);
    }

    /** Lists and follows, on the client's thread ({@code watch-<name>-1}, a control-loop worker), until {@link #stop()}. */
    public void start() {
        loop.start();
    }

    /** Ends the stream and the client's thread (after the listener call in flight); for good. */
    public void stop() {
        follower.stop();
        loop.stop();
    }

    @Override
    public void close() {
        stop();
    }

    /** Whether a watch stream is open now. */
    public boolean following() {
        return follower.following();
    }

    /** The resource version of the last snapshot or event delivered; 0 before the first list. */
    public long resourceVersion() {
        return follower.resourceVersion();
    }

    /** Events waiting for the listener now. */
    public int buffered() {
        return follower.buffered();
    }

    /** Tests: one step on the caller's thread, without {@link #start()}; returns when it wants the next. */
    Duration step() {
        return follower.step();
    }

    public static final class Builder<T> {
        private final String name;
        private final Lister<T> lister;
        private final Watcher<T> watcher;
        private final WatchListener<T> listener;
        private int bufferSize = 1024;
        private Backoff backoff = Backoff.of(Duration.ofMillis(500), Duration.ofSeconds(30));
        private Duration healthyAfter = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;

        private Builder(String name, Lister<T> lister, Watcher<T> watcher, WatchListener<T> listener) {
            this.name = Objects.requireNonNull(name, "name");
            this.lister = Objects.requireNonNull(lister, "lister");
            this.watcher = Objects.requireNonNull(watcher, "watcher");
            this.listener = Objects.requireNonNull(listener, "listener");
        }

        /** Events that may wait for the listener before the stream is dropped for a new list (default 1024). */
        public Builder<T> bufferSize(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("bufferSize must be at least 1, got " + events);
            }
            this.bufferSize = events;
            return this;
        }

        /** Between attempts after failures in a row (default 500 ms doubling to 30 s, jittered). */
        public Builder<T> backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** How long a stream must stay up for its break to count as the first failure again (default 30 s). */
        public Builder<T> healthyAfter(Duration healthyAfter) {
            this.healthyAfter = Objects.requireNonNull(healthyAfter, "healthyAfter");
            return this;
        }

        public Builder<T> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Meters {@code orchestry.watch.*} tagged {@code watch=<name>}; a Micrometer {@code MeterRegistry}. */
        public Builder<T> meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public WatchClient<T> build() {
            return new WatchClient<>(this);
        }
    }
}
