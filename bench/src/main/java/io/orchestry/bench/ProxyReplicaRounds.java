package io.orchestry.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Replica change → served, measured through nginx. The app has one healthy instance (the base) and a route for
 * {@link ProxyBench#HOST}; each change makes one spare instance healthy on the bench's provisioner (a WatchInstances
 * ADDED or MODIFIED event) at t0 and polls nginx on one keep-alive connection, as fast as it answers, until a
 * response comes from that instance; then takes it away (alternately UNHEALTHY and DELETED) at t0 and polls until
 * {@value #CLEAN_STREAK} responses in a row came from other instances (the latency is to the first of them).
 * nginx's worker pids and the revision count are read before and after: with the Lua balancer, both stay.
 */
final class ProxyReplicaRounds {
    static final int CLEAN_STREAK = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    /** One round's figures (latencies in nanoseconds). */
    record Result(Histogram added, Histogram removed, int timeouts, long failedRequests, long retries,
                  List<Long> workersBefore, List<Long> workersAfter, long revisionsBefore, long revisionsAfter, int changes) {
        boolean workersUnchanged() {
            return workersBefore.equals(workersAfter);
        }

        long revisions() {
            return revisionsAfter - revisionsBefore;
        }
    }

    private ProxyReplicaRounds() {
    }

    static Result run(ProxyWorld world, List<ProxyUpstreamProcesses.Upstream> spares, int changes) throws InterruptedException {
        Histogram added = Latencies.histogram();
        Histogram removed = Latencies.histogram();
        int timeouts = 0;
        long[] failed = new long[1];
        List<Long> workersBefore = world.workerPids();
        long revisionsBefore = world.revisionCount();
        try (ProxyHttpConnection connection = new ProxyHttpConnection(world.httpPort, Duration.ofSeconds(5))) {
            for (int i = 0; i < changes; i++) {
                ProxyUpstreamProcesses.Upstream spare = spares.get(i % spares.size());
                long t0 = System.nanoTime();
                world.provisioner.healthy(ProxyBench.APP, spare.instance(), spare.port(), spare.pid());
                long served = untilServedBy(connection, spare.instance(), t0, failed);
                if (served < 0) {
                    timeouts++;
                    giveUpAfterThree(world, timeouts, added.getTotalCount(), spare.instance() + " healthy, never served");
                } else {
                    added.recordValue(served);
                }
                t0 = System.nanoTime();
                if (i % 2 == 0) {
                    world.provisioner.unhealthy(spare.instance());
                } else {
                    world.provisioner.delete(spare.instance());
                }
                long gone = untilNotServedBy(connection, spare.instance(), t0, failed);
                if (gone < 0) {
                    timeouts++;
                    giveUpAfterThree(world, timeouts, removed.getTotalCount(), spare.instance() + " gone, still served");
                } else {
                    removed.recordValue(gone);
                }
            }
            return new Result(added, removed, timeouts, failed[0], connection.retries(), workersBefore, world.workerPids(),
                    revisionsBefore, world.revisionCount(), changes);
        }
    }

    /** Three changes never served and none served: the proxy does not follow the watch; waiting more says nothing. */
    static void giveUpAfterThree(ProxyWorld world, int timeouts, long served, String what) {
        if (timeouts >= 3 && served == 0) {
            throw new IllegalStateException(world.name + " proxy: " + timeouts + " changes not served within " + DEADLINE.toSeconds()
                    + " s and none served (last: " + what + "); status " + world.status());
        }
    }

    /** Nanoseconds from t0 until a response of {@code instance} arrived; -1 past the deadline. */
    private static long untilServedBy(ProxyHttpConnection connection, String instance, long t0, long[] failed) throws InterruptedException {
        long deadline = t0 + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            ProxyHttpConnection.Response response = get(connection, failed);
            if (response != null && instance.equals(response.instance())) {
                return System.nanoTime() - t0;
            }
        }
        return -1;
    }

    /** Nanoseconds from t0 to the first request of {@value #CLEAN_STREAK} in a row answered by others; -1 past the deadline. */
    private static long untilNotServedBy(ProxyHttpConnection connection, String instance, long t0, long[] failed) throws InterruptedException {
        long deadline = t0 + DEADLINE.toNanos();
        int streak = 0;
        long streakStart = 0;
        while (System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            ProxyHttpConnection.Response response = get(connection, failed);
            if (response == null || !response.ok() || response.instance().isEmpty() || instance.equals(response.instance())) {
                streak = 0;
                continue;
            }
            if (streak++ == 0) {
                streakStart = sent;
            }
            if (streak == CLEAN_STREAK) {
                return streakStart - t0;
            }
        }
        return -1;
    }

    private static ProxyHttpConnection.Response get(ProxyHttpConnection connection, long[] failed) throws InterruptedException {
        try {
            ProxyHttpConnection.Response response = connection.get(ProxyBench.HOST, "/");
            if (!response.ok()) {
                failed[0]++;
            }
            return response;
        } catch (IOException e) {
            failed[0]++;
            Thread.sleep(1);
            return null;
        }
    }

    static String describe(String label, Result r) {
        return String.format(Locale.ROOT, "%s: %d changes, added → served %s | removed → not served %s | timeouts %d, failed requests %d,"
                        + " stale keep-alive retries %d | workers %s → %s (%s) | revisions %d → %d (+%d)",
                label, r.changes(), percentiles(r.added()), percentiles(r.removed()), r.timeouts(), r.failedRequests(), r.retries(),
                r.workersBefore(), r.workersAfter(), r.workersUnchanged() ? "unchanged" : "CHANGED", r.revisionsBefore(),
                r.revisionsAfter(), r.revisions());
    }

    static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "p50 %.1f p95 %.1f p99 %.1f max %.1f ms", Latencies.ms(h, 50), Latencies.ms(h, 95),
                Latencies.ms(h, 99), h.getMaxValue() / 1e6);
    }
}
