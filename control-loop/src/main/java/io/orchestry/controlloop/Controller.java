package io.orchestry.controlloop;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A loop that reconciles keys, after controller-runtime: events {@link #enqueue} a key, worker
 * threads take due keys from a {@link WorkQueue} and run the {@link Reconciler}; done forgets the
 * key's failures, requeue-after queues it again later, terminal logs and counts it and leaves it
 * until it is enqueued again, and an exception retries it with {@link Backoff}. A periodic resync
 * enqueues every key from a supplier, so that a missed event is repaired (level-triggered).
 *
 * <p>Workers are platform daemon threads named {@code <name>-<n>} (Java 17 has no virtual threads),
 * so a thread dump says which loop is stuck. {@link #stop} waits (up to a grace) for the reconciles in flight, and
 * a stopped controller can be started again (a replica that is deposed and elected again).
 * Tests drive it without threads: {@link #processNext} and {@link #resyncNow} on the caller's
 * thread, time moved on an injected clock.
 */
public final class Controller<K> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    /** How long an idle worker waits before it looks at the resync time and its stop flag again. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    /** How long {@link #stop()} waits for the reconciles in flight before it interrupts them. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Reconciler<K> reconciler;
    private final WorkQueue<K> queue;
    private final int workers;
    private final Backoff backoff;
    private final Duration resyncPeriod;
    private final Supplier<? extends Collection<K>> allKeys;
    private final List<K> startKeys;
    private final Clock clock;
    private final ControllerMetrics metrics;
    private final Object lifecycle = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    /** Changes on every start and stop; a worker runs while it is the one it was started with. */
    private volatile long generation;
    private Instant nextResync;
    private int resyncFailures;

    private Controller(Builder<K> builder) {
        this.name = builder.name;
        this.reconciler = builder.reconciler;
        this.workers = builder.workers;
        this.backoff = builder.backoff;
        this.resyncPeriod = builder.resyncPeriod;
        this.allKeys = builder.allKeys;
        this.startKeys = List.copyOf(builder.startKeys);
        this.clock = builder.clock;
        this.queue = new WorkQueue<>(clock, backoff);
        this.metrics = new ControllerMetrics(builder.meterRegistry, name, queue);
        startKeys.forEach(queue::add); // queued before the first start too, so processNext() sees them
    }

    public static <K> Builder<K> builder(String name, Reconciler<K> reconciler) {
        return new Builder<>(name, reconciler);
    }

    /** A ticker loop: {@code tick} runs at start and then {@code interval} after each run ends. */
    public static Controller<String> periodic(String name, Duration interval, Runnable tick) {
        return periodic(name, interval, tick, Clock.systemUTC(), null);
    }

    /**
     * A ticker loop on the controller machinery, so that it has the same thread naming, metrics,
     * start/stop (and so leader gating) as every keyed loop: a single key, named after the loop,
     * that requeues itself {@code interval} after each tick (a fixed delay, as a slow tick should
     * not pile up runs). A tick that throws is retried sooner, with backoff capped at the interval.
     */
    public static Controller<String> periodic(String name, Duration interval, Runnable tick, Clock clock,
                                              @Nullable MeterRegistry meterRegistry) {
        Objects.requireNonNull(tick, "tick");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a periodic loop needs a positive interval, got " + interval);
        }
        Duration base = interval.compareTo(Duration.ofMillis(100)) < 0 ? interval : Duration.ofMillis(100);
        return Controller.<String>builder(name, key -> {
                    tick.run();
                    return Result.requeueAfter(interval);
                })
                .backoff(Backoff.of(base, interval))
                .clock(clock)
                .meterRegistry(meterRegistry)
                .enqueueOnStart(List.of(name))
                .build();
    }

    public String name() {
        return name;
    }

    /** Queues the key now (once, however often it is enqueued before it runs). */
    public void enqueue(K key) {
        queue.add(key);
    }

    /** Queues the key once {@code delay} has passed on the controller's clock. */
    public void enqueueAfter(K key, Duration delay) {
        queue.addAfter(key, delay);
    }

    /** Starts the workers (a no-op while running): enqueues the start keys and, with a resync, every key. */
    public void start() {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            running = true;
            long mine = ++generation; // workers of an earlier start see a newer generation and end
            queue.open();
            startKeys.forEach(queue::add);
            if (allKeys != null) {
                nextResync = clock.instant(); // the first list runs on a worker, not on the caller
            }
            for (int i = 1; i <= workers; i++) {
                Thread worker = new Thread(() -> work(mine), name + "-" + i);
                worker.setDaemon(true);
                threads.add(worker);
                worker.start();
            }
            LOG.debug("{}: started {} worker(s)", name, workers);
        }
    }

    /**
     * Stops the workers and waits up to {@link #DEFAULT_STOP_GRACE} for the reconciles in flight;
     * queued keys stay for the next start.
     */
    public void stop() {
        stop(DEFAULT_STOP_GRACE);
    }

    /**
     * Stops the workers: no reconcile begins after this is called, and it waits up to {@code grace}
     * for those in flight; a worker still busy then is interrupted and left to end on its own (and
     * logged), so a hung reconcile cannot hang the caller (a deposed replica's election thread, a
     * shutdown). The lifecycle lock is not held while waiting, and a reconcile that stops its own
     * controller does not wait for itself: it ends when it returns.
     */
    public void stop(Duration grace) {
        List<Thread> stopping;
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
            generation++;
            queue.close(); // from now on take() hands out nothing, so no reconcile begins after stop
            stopping = new ArrayList<>(threads);
            threads.clear();
        }
        stopping.remove(Thread.currentThread());
        long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
        boolean interrupted = false;
        for (Thread worker : stopping) {
            while (worker.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedJoin(worker, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    deadline = System.nanoTime(); // the caller wants out: interrupt the rest now
                }
            }
            if (worker.isAlive()) {
                worker.interrupt();
                LOG.warn("{}: {} still reconciling after {} ms, interrupted and left to end", name, worker.getName(),
                        grace.toMillis());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("{}: stopped", name);
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * For tests: resyncs if one is due, then reconciles one due key on the caller's thread.
     *
     * @return false when no key was due
     */
    public boolean processNext() {
        maybeResync();
        Optional<K> key = queue.poll();
        key.ifPresent(this::reconcileOne);
        return key.isPresent();
    }

    /** Enqueues every key from the resync supplier now (also for tests), and restarts the resync period. */
    public void resyncNow() {
        if (allKeys == null) {
            return;
        }
        synchronized (this) {
            nextResync = clock.instant().plus(resyncPeriod);
        }
        Collection<K> keys = allKeys.get();
        keys.forEach(queue::add);
        LOG.debug("{}: resync queued {} key(s)", name, keys.size());
    }

    /** The queue, for callers that want its depth or a key's failure count. */
    public WorkQueue<K> queue() {
        return queue;
    }

    private void maybeResync() {
        if (allKeys == null) {
            return;
        }
        synchronized (this) {
            if (nextResync != null && clock.instant().isBefore(nextResync)) {
                return;
            }
            nextResync = clock.instant().plus(resyncPeriod); // other workers do not resync too
        }
        try {
            resyncNow();
            synchronized (this) {
                resyncFailures = 0;
            }
        } catch (RuntimeException e) {
            Duration retry;
            synchronized (this) {
                resyncFailures++;
                retry = backoff.delay(resyncFailures);
                if (retry.compareTo(resyncPeriod) > 0) {
                    retry = resyncPeriod;
                }
                nextResync = clock.instant().plus(retry);
            }
            LOG.warn("{}: could not list the keys to resync, trying again in {}", name, retry, e);
        }
    }

    private void work(long mine) {
        while (generation == mine) {
            try {
                maybeResync();
                Optional<K> key = queue.take(IDLE_WAIT);
                if (key.isEmpty()) {
                    continue;
                }
                if (generation != mine) {
                    queue.add(key.get()); // handed out as this start ended: back for the next one
                    queue.done(key.get());
                    return;
                }
                reconcileOne(key.get());
            } catch (InterruptedException e) {
                if (generation == mine) { // a stop's interrupt ends the loop below; any other is survived
                    LOG.warn("{}: worker {} was interrupted while waiting; it goes on", name,
                            Thread.currentThread().getName());
                }
            } catch (VirtualMachineError e) {
                LOG.error("{}: worker {} ends on a JVM error", name, Thread.currentThread().getName(), e);
                throw e;
            } catch (Throwable e) {
                LOG.error("{}: worker error", name, e);
            }
            if (Thread.interrupted() && generation == mine) {
                // a reconcile that was interrupted, or left the flag set: a running loop keeps its worker
                LOG.warn("{}: worker {} was interrupted while running; cleared, it goes on", name,
                        Thread.currentThread().getName());
            }
        }
    }

    private void reconcileOne(K key) {
        long began = System.nanoTime();
        try {
            Result result = reconciler.reconcile(key);
            if (result instanceof Result.RequeueAfter requeue) {
                queue.forget(key);
                queue.addAfter(key, requeue.delay());
            } else if (result instanceof Result.Terminal terminal) {
                queue.forget(key);
                metrics.terminal();
                LOG.warn("{}: {} cannot be reconciled until it changes: {}", name, key, terminal.reason());
            } else {
                queue.forget(key);
            }
        } catch (Throwable e) {
            // whatever it threw (an Error too), the key is retried: otherwise it is lost for good
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // the worker loop decides: go on while running
            }
            Duration retry = queue.addRateLimited(key);
            metrics.exception();
            LOG.warn("{}: reconcile of {} failed ({} in a row), retrying in {} ms", name, key,
                    queue.failures(key), retry.toMillis(), e);
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
        } finally {
            metrics.reconciled(System.nanoTime() - began);
            queue.done(key);
        }
    }

    /** Options of a {@link Controller}; only the name and the reconciler are required. */
    public static final class Builder<K> {
        private final String name;
        private final Reconciler<K> reconciler;
        private int workers = 1;
        private Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofMinutes(5));
        private Duration resyncPeriod;
        private Supplier<? extends Collection<K>> allKeys;
        private final List<K> startKeys = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;

        private Builder(String name, Reconciler<K> reconciler) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a controller needs a name: it names its threads and metrics");
            }
            this.name = name;
            this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        }

        /** Threads that reconcile different keys in parallel (default 1). */
        public Builder<K> workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("need at least one worker, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** Delays after failures in a row (default 100 ms doubling up to 5 min, with jitter). */
        public Builder<K> backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Enqueues every key {@code allKeys} returns at start and then every {@code period}. */
        public Builder<K> resync(Duration period, Supplier<? extends Collection<K>> allKeys) {
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("a resync period must be positive, got " + period);
            }
            this.resyncPeriod = period;
            this.allKeys = Objects.requireNonNull(allKeys, "allKeys");
            return this;
        }

        /** Keys queued on every {@link Controller#start}. */
        public Builder<K> enqueueOnStart(Collection<K> keys) {
            startKeys.addAll(keys);
            return this;
        }

        public Builder<K> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the queue depth, reconcile duration and errors go; none (null) keeps them nowhere. */
        public Builder<K> meterRegistry(@Nullable MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        public Controller<K> build() {
            if (meterRegistry == null) {
                meterRegistry = new CompositeMeterRegistry(); // with no registry in it: records nothing
            }
            return new Controller<>(this);
        }
    }
}
