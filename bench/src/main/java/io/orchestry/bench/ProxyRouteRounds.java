package io.orchestry.bench;

import com.google.protobuf.FieldMask;
import io.orchestry.proxy.v1.CreateRouteRequest;
import io.orchestry.proxy.v1.CreateRouteResponse;
import io.orchestry.proxy.v1.DeleteRouteRequest;
import io.orchestry.proxy.v1.RevisionOutcome;
import io.orchestry.proxy.v1.Route;
import io.orchestry.proxy.v1.UpdateRouteRequest;
import io.orchestry.proxy.v1.UpdateRouteResponse;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Route change → served. Each change sends {@code CreateRoute} for a new host {@code r<round>-<i>.bench.local} at t0
 * and polls nginx on a keep-alive connection with that Host until the demo app answers (200 with its instance; not
 * nginx's 404 for an unknown host) — then {@code UpdateRoute} moves it to path {@code /p<i>} (stripped) and polls
 * {@code GET /p<i>/} the same way (before the change the app answers 404 for that path). The RPCs' own answer times
 * and their revisions' outcomes are kept too. The round's routes are deleted after it (not measured).
 */
final class ProxyRouteRounds {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    /** One round's figures (latencies in nanoseconds). */
    record Result(Histogram created, Histogram updated, Histogram createAnswered, Histogram updateAnswered, int timeouts,
                  Map<RevisionOutcome, Integer> outcomes, int changes) {
    }

    private ProxyRouteRounds() {
    }

    static Result run(ProxyWorld world, int round, int changes) throws Exception {
        Histogram created = Latencies.histogram();
        Histogram updated = Latencies.histogram();
        Histogram createAnswered = Latencies.histogram();
        Histogram updateAnswered = Latencies.histogram();
        Map<RevisionOutcome, Integer> outcomes = new EnumMap<>(RevisionOutcome.class);
        int timeouts = 0;
        List<String> routes = new ArrayList<>();
        try (ProxyHttpConnection connection = new ProxyHttpConnection(world.httpPort, Duration.ofSeconds(5))) {
            for (int i = 0; i < changes; i++) {
                String host = "r" + round + "-" + i + ".bench.local";
                long t0 = System.nanoTime();
                CompletableFuture<CreateRouteResponse> create = LoadDriver.of(world.proxyAsync().createRoute(CreateRouteRequest.newBuilder()
                        .setApp(ProxyBench.APP).addHosts(host).setPortName("http").build()));
                // stamped on the thread that completes the call, wherever the poll is then
                CompletableFuture<Long> createdAt = create.thenApply(answer -> System.nanoTime());
                long served = untilServed(connection, host, "/", t0);
                CreateRouteResponse response = create.get(60, TimeUnit.SECONDS);
                createAnswered.recordValue(createdAt.get(60, TimeUnit.SECONDS) - t0);
                outcomes.merge(response.getRevision().getOutcome(), 1, Integer::sum);
                Route route = response.getRoute();
                routes.add(route.getId());
                timeouts += record(served, created);
                ProxyReplicaRounds.giveUpAfterThree(world, timeouts, created.getTotalCount(), host + " created, never served");

                String prefix = "/p" + i;
                t0 = System.nanoTime();
                CompletableFuture<UpdateRouteResponse> update = LoadDriver.of(world.proxyAsync().updateRoute(UpdateRouteRequest.newBuilder()
                        .setId(route.getId()).setVersion(route.getVersion()).setPathPrefix(prefix).setStripPrefix(true)
                        .setUpdateMask(FieldMask.newBuilder().addPaths("path_prefix").addPaths("strip_prefix")).build()));
                CompletableFuture<Long> updatedAt = update.thenApply(answer -> System.nanoTime());
                served = untilServed(connection, host, prefix + "/", t0);
                UpdateRouteResponse updatedRoute = update.get(60, TimeUnit.SECONDS);
                updateAnswered.recordValue(updatedAt.get(60, TimeUnit.SECONDS) - t0);
                outcomes.merge(updatedRoute.getRevision().getOutcome(), 1, Integer::sum);
                timeouts += record(served, updated);
            }
        } finally {
            for (String id : routes) {
                world.proxy().deleteRoute(DeleteRouteRequest.newBuilder().setId(id).build());
            }
        }
        return new Result(created, updated, createAnswered, updateAnswered, timeouts, outcomes, changes);
    }

    private static int record(long nanos, Histogram into) {
        if (nanos < 0) {
            return 1;
        }
        into.recordValue(nanos);
        return 0;
    }

    /** Nanoseconds from t0 until the demo app answered {@code path} for {@code host}; -1 past the deadline. */
    private static long untilServed(ProxyHttpConnection connection, String host, String path, long t0) throws InterruptedException {
        long deadline = t0 + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ProxyHttpConnection.Response response = connection.get(host, path);
                if (response.status() == 200 && !response.instance().isEmpty()) {
                    return System.nanoTime() - t0;
                }
            } catch (IOException reloading) {
                Thread.sleep(1);
            }
        }
        return -1;
    }

    static String describe(int round, Result r) {
        return String.format(Locale.ROOT, "round %d routes: %d creates, created → served %s | path updated → served %s | CreateRoute answered %s"
                        + " | UpdateRoute answered %s | timeouts %d | revision outcomes %s",
                round, r.changes(), ProxyReplicaRounds.percentiles(r.created()), ProxyReplicaRounds.percentiles(r.updated()),
                ProxyReplicaRounds.percentiles(r.createAnswered()), ProxyReplicaRounds.percentiles(r.updateAnswered()),
                r.timeouts(), r.outcomes());
    }
}
