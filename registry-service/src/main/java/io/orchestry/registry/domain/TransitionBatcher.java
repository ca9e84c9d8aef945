package io.orchestry.registry.domain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Group commit for the status changes heartbeats cause (PENDING, SUSPECT or DOWN back to READY):
 * whatever is waiting when {@link #drain} runs goes to PostgreSQL in one transaction (one statement
 * for the nodes, one for their events). One node coming back costs one round trip; ten thousand
 * coming back after a network blip cost a handful of batches instead of ten thousand serialized
 * writes. {@link #drain} is the reconcile of a single-key loop: {@link #submit} only wakes it.
 */
public class TransitionBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionBatcher.class);
    static final int MAX_BATCH = 5_000;
    /** The one key of the loop that drains the queue. */
    public static final String KEY = "pending";

    private record Pending(StatusChange change, CompletableFuture<Optional<Node>> done) {
    }

    private final NodeTransitions transitions;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Runnable wake;
    private volatile boolean stopped;

    /** @param wake asks the loop to run {@link #drain} soon (it runs it once for many wakes) */
    public TransitionBatcher(NodeTransitions transitions, Runnable wake) {
        this.transitions = transitions;
        this.wake = wake;
    }

    /** Queues a change; the future completes once it is written (empty if it no longer applied). */
    public CompletableFuture<Optional<Node>> submit(StatusChange change) {
        CompletableFuture<Optional<Node>> done = new CompletableFuture<>();
        if (stopped) {
            done.completeExceptionally(new IllegalStateException("the registry is stopping"));
            return done;
        }
        queue.add(new Pending(change, done));
        wake.run();
        return done;
    }

    /** Writes everything queued, in batches of at most {@link #MAX_BATCH}; returns how many changes it handled. */
    public int drain() {
        int handled = 0;
        List<Pending> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            Pending next;
            while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                return handled;
            }
            apply(batch);
            handled += batch.size();
        }
    }

    private void apply(List<Pending> batch) {
        try {
            // one change per node: the last one asked for wins, every caller hears the outcome
            Map<String, StatusChange> changes = new HashMap<>();
            batch.forEach(p -> changes.put(p.change().name(), p.change()));
            Map<String, Node> changed = new HashMap<>();
            transitions.transitionAll(List.copyOf(changes.values()), Fencing.NONE).forEach(node -> changed.put(node.name(), node));
            batch.forEach(p -> p.done().complete(Optional.ofNullable(changed.get(p.change().name()))));
        } catch (RuntimeException e) {
            LOG.warn("could not write {} status change(s)", batch.size(), e);
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    /** Refuses new changes; what is queued is still written by the last {@link #drain}. */
    public void stop() {
        stopped = true;
    }
}
