package io.orchestry.provisioner.fleet;

import io.orchestry.provisioner.domain.FleetNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Calls every node of a round in parallel on a bounded executor and waits for them together up to a timeout, so one slow
 * node delays no other. A node whose call is still running from an earlier round gets no second one: it counts as timed
 * out again until that call ends. One per loop.
 */
public final class NodeFanout {
    private final Executor executor;
    private final Map<String, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();

    public NodeFanout(Executor executor) {
        this.executor = executor;
    }

    /** How one node's call ended. */
    public sealed interface Outcome<T> {
    }

    public record Done<T>(T value) implements Outcome<T> {
    }

    public record Failed<T>(Throwable error) implements Outcome<T> {
    }

    /** Still running at the timeout (or from an earlier round). */
    public record TimedOut<T>(Duration after) implements Outcome<T> {
    }

    /** The outcome of {@code call} for every node, in the nodes' order. */
    public <T> Map<String, Outcome<T>> call(List<FleetNode> nodes, Function<FleetNode, T> call, Duration timeout) {
        Map<String, CompletableFuture<T>> started = new LinkedHashMap<>();
        Map<String, Outcome<T>> outcomes = new LinkedHashMap<>();
        for (FleetNode node : nodes) {
            if (inFlight.containsKey(node.name())) {
                outcomes.put(node.name(), new TimedOut<>(timeout));
                continue;
            }
            CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> call.apply(node), executor);
            inFlight.put(node.name(), future);
            future.whenComplete((value, error) -> inFlight.remove(node.name(), future));
            started.put(node.name(), future);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, CompletableFuture<T>> entry : started.entrySet()) {
            outcomes.put(entry.getKey(), await(entry.getValue(), deadline, timeout));
        }
        Map<String, Outcome<T>> ordered = new LinkedHashMap<>();
        nodes.forEach(node -> ordered.put(node.name(), outcomes.get(node.name())));
        return ordered;
    }

    private static <T> Outcome<T> await(CompletableFuture<T> future, long deadline, Duration timeout) {
        try {
            return new Done<>(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return new TimedOut<>(timeout);
        } catch (ExecutionException e) {
            return new Failed<>(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed<>(e);
        }
    }
}
