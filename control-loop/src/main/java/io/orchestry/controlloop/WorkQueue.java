package io.orchestry.controlloop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keys waiting to be reconciled, after client-go's workqueue: because reconcilers are
 * level-triggered, a key queued twice needs one reconcile, not two, so a queued key is held once
 * (dedup); a key being reconciled is not handed out again until {@link #done} (so one key never
 * runs on two workers), and if it was added meanwhile it is handed out again after (the change that
 * came in during the reconcile is not lost). Delayed adds wait on the injected {@link Clock}, so a
 * test moves time instead of sleeping; {@link #addRateLimited} counts a key's failures in a row and
 * delays it by {@link Backoff}, {@link #forget} resets the count on success.
 *
 * <p>Thread-safe: one lock guards everything; the work done under it is a few map operations.
 *
 * @param <K> keys with value equality
 */
public final class WorkQueue<K> {
    private final Clock clock;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Keys due now, in the order they became due. */
    private final ArrayDeque<K> ready = new ArrayDeque<>();
    /** Keys that need a reconcile: those in {@link #ready}, and those re-added while processing. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    /** The earliest time each delayed key is due; {@link #timers} orders them. */
    private final Map<K, Instant> waiting = new HashMap<>();
    private final PriorityQueue<Timer<K>> timers = new PriorityQueue<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private long sequence;
    private long wakeups;
    /** While closed, {@link #take} hands out nothing (a stopped controller's workers); {@link #poll} still does. */
    private boolean closed;

    public WorkQueue(Clock clock, Backoff backoff) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    private record Timer<K>(Instant due, long sequence, K key) implements Comparable<Timer<K>> {
        @Override
        public int compareTo(Timer<K> other) {
            int byDue = due.compareTo(other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

    /** Queues the key now, unless it is already queued. */
    public void add(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            addLocked(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the key once {@code delay} has passed on the clock. A key already waiting keeps the
     * earlier of its two times, so a key has at most one timer.
     */
    public void addAfter(K key, Duration delay) {
        Objects.requireNonNull(key, "key");
        if (delay.isNegative() || delay.isZero()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            Instant due = clock.instant().plus(delay);
            Instant before = waiting.get(key);
            if (before == null || due.isBefore(before)) {
                waiting.put(key, due);
                timers.add(new Timer<>(due, sequence++, key));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Counts one more failure of the key and queues it after the backoff for that many; returns the delay. */
    public Duration addRateLimited(K key) {
        int count;
        lock.lock();
        try {
            count = failures.merge(key, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
        Duration delay = backoff.delay(count);
        addAfter(key, delay);
        return delay;
    }

    /** Resets the key's failure count: the next failure waits the base delay again. */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** How many times in a row the key has failed. */
    public int failures(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next key that is due now, marked as processing, or empty if none is: never waits. The
     * caller must call {@link #done} with it.
     */
    public Optional<K> poll() {
        lock.lock();
        try {
            promoteDue();
            return Optional.ofNullable(takeReadyLocked());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #poll}, but waits up to {@code maxWait} for a key to become due. Returns empty
     * early when {@link #wakeAll} is called, so that a stopping worker sees its flag at once, and
     * always while the queue is {@link #close closed}.
     */
    public Optional<K> take(Duration maxWait) throws InterruptedException {
        lock.lock();
        try {
            long seen = wakeups;
            long deadline = System.nanoTime() + maxWait.toNanos();
            while (true) {
                if (closed) {
                    return Optional.empty(); // checked under the lock: no key leaves after close()
                }
                promoteDue();
                K key = takeReadyLocked();
                if (key != null) {
                    return Optional.of(key);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || wakeups != seen) {
                    return Optional.empty();
                }
                Timer<K> next = timers.peek();
                long wait = remaining;
                if (next != null) {
                    long untilDue = Duration.between(clock.instant(), next.due()).toNanos();
                    wait = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(wait, untilDue));
                }
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the processing of a key handed out by {@link #poll} or {@link #take}: if it was added
     * while it was processed, it is queued again now. A key that is not being processed is
     * ignored: a stray done must never put a queued key in the ready list twice (two workers).
     * Call it once per hand-out, from the worker that took the key: a second done after the key
     * was handed out again would end the new worker's hold (the queue cannot tell whose it is).
     */
    public void done(K key) {
        lock.lock();
        try {
            if (!processing.remove(key)) {
                return;
            }
            if (dirty.contains(key)) {
                ready.addLast(key);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops {@link #take} from handing out keys and makes every waiting take return: what a
     * stopping controller calls, so that no worker starts a reconcile after it was stopped. Keys
     * stay queued for {@link #open}.
     */
    public void close() {
        lock.lock();
        try {
            closed = true;
            wakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Lets {@link #take} hand out keys again (a controller started again). */
    public void open() {
        lock.lock();
        try {
            closed = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes every waiting {@link #take} return. */
    public void wakeAll() {
        lock.lock();
        try {
            wakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Keys due now and not being processed: the depth a gauge shows. */
    public int depth() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting for a delay (a requeue or a backoff) to pass. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void addLocked(K key) {
        if (!dirty.add(key)) {
            return; // already queued, or queued again while processing: one reconcile covers both
        }
        if (processing.contains(key)) {
            return; // done() queues it
        }
        ready.addLast(key);
        changed.signal();
    }

    private K takeReadyLocked() {
        K key = ready.pollFirst();
        if (key != null) {
            dirty.remove(key);
            processing.add(key);
        }
        return key;
    }

    private void promoteDue() {
        Instant now = clock.instant();
        Timer<K> next;
        while ((next = timers.peek()) != null && !next.due().isAfter(now)) {
            timers.poll();
            if (next.due().equals(waiting.get(next.key()))) {
                waiting.remove(next.key());
                addLocked(next.key());
            }
        }
    }
}
