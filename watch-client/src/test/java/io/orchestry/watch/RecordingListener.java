package io.orchestry.watch;

import io.orchestry.registry.v1.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Keeps what a client delivered, in order; can be made slow (each event waits for a permit). */
final class RecordingListener implements WatchListener<Node> {
    private final List<Object> delivered = new ArrayList<>();
    private volatile Semaphore gate;

    @Override
    public void snapshot(Snapshot<Node> snapshot) {
        record(snapshot);
    }

    @Override
    public void event(WatchEvent<Node> event) {
        Semaphore current = gate;
        if (current != null) {
            current.acquireUninterruptibly();
        }
        record(event);
    }

    /** From now on each event waits until {@link #release} lets it through. */
    void blockEvents() {
        gate = new Semaphore(0);
    }

    void release() {
        Semaphore current = gate;
        gate = null;
        if (current != null) {
            current.release(Integer.MAX_VALUE / 2);
        }
    }

    private synchronized void record(Object signal) {
        delivered.add(signal);
        notifyAll();
    }

    synchronized List<Object> delivered() {
        return List.copyOf(delivered);
    }

    synchronized List<Snapshot<Node>> snapshots() {
        List<Snapshot<Node>> snapshots = new ArrayList<>();
        delivered.forEach(s -> {
            if (s instanceof Snapshot<?> snapshot) {
                @SuppressWarnings("unchecked") Snapshot<Node> typed = (Snapshot<Node>) snapshot;
                snapshots.add(typed);
            }
        });
        return snapshots;
    }

    /** Resource versions of the events delivered, in order. */
    synchronized List<Long> eventVersions() {
        return delivered.stream().filter(WatchEvent.class::isInstance).map(e -> ((WatchEvent<?>) e).resourceVersion()).toList();
    }

    /** Waits (at most 20 s) until what was delivered satisfies {@code done}. */
    synchronized void await(Predicate<List<Object>> done, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.test(delivered)) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; delivered: " + delivered);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
