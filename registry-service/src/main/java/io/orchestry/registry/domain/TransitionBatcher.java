package io.orchestry.registry.domain;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for the status changes heartbeats cause (PENDING, SUSPECT or DOWN back to READY):
 * whatever is waiting when the writer gets to it goes to PostgreSQL in one statement and one batch
 * of events. One node coming back costs one round trip, as before; ten thousand coming back after
 * a network blip cost a handful of batches instead of ten thousand serialized writes.
 */
@Singleton
public class TransitionBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionBatcher.class);
    private static final int MAX_BATCH = 5_000;

    private record Pending(NodeService.StatusChange change, CompletableFuture<Optional<Node>> done) {
    }

    private final NodeService nodes;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    public TransitionBatcher(NodeService nodes) {
        this.nodes = nodes;
        this.writer = new Thread(this::write, "registry-transitions");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues a change; the future completes once it is written (empty if it no longer applied). */
    public CompletableFuture<Optional<Node>> submit(NodeService.StatusChange change) {
        CompletableFuture<Optional<Node>> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the registry is stopping"));
            return done;
        }
        queue.add(new Pending(change, done));
        return done;
    }

    private void write() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                apply(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void apply(List<Pending> batch) {
        try {
            // one change per node: the last one asked for wins, every caller hears the outcome
            Map<String, NodeService.StatusChange> changes = new HashMap<>();
            batch.forEach(p -> changes.put(p.change().name(), p.change()));
            Map<String, Node> changed = new HashMap<>();
            nodes.transitionAll(List.copyOf(changes.values())).forEach(node -> changed.put(node.name(), node));
            batch.forEach(p -> p.done().complete(Optional.ofNullable(changed.get(p.change().name()))));
        } catch (RuntimeException e) {
            LOG.warn("could not write {} status change(s)", batch.size(), e);
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.join(5_000);
    }
}
