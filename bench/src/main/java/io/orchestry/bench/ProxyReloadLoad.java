package io.orchestry.bench;

import io.orchestry.proxy.v1.ReloadProxyRequest;
import io.orchestry.proxy.v1.RevisionOutcome;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Failed requests across reloads: an open-loop load ({@link LoadDriver#openLoop}, one-second segments, latency from
 * when each request was due) of {@code rate} requests/s through nginx on {@value #CONNECTIONS} keep-alive
 * connections (request i on connection i mod {@value #CONNECTIONS}, one request at a time on each), for as long as
 * {@code reloads} {@code ReloadProxy} calls in a row take. A failed request is a non-2xx answer or an I/O error;
 * a request on a keep-alive connection that the server closed before the answer began is sent once more on a new
 * connection, as every keep-alive client does, and counted apart. Baseline in the same run: the same load for
 * {@value #BASELINE_SECONDS} s with no reload.
 */
final class ProxyReloadLoad {
    static final int CONNECTIONS = 4;
    static final int BASELINE_SECONDS = 10;

    /** What one load did (latency in nanoseconds from when each request was due). */
    record Result(long requests, long failed, long retries, double seconds, Histogram latency, int reloads, int reloadErrors,
                  Map<RevisionOutcome, Integer> outcomes, Histogram reloadLatency, List<String> firstFailures) {
    }

    private ProxyReloadLoad() {
    }

    static Result baseline(int httpPort, int rate) throws InterruptedException {
        return run(httpPort, i -> RevisionOutcome.REVISION_OUTCOME_UNSPECIFIED, rate, 0);
    }

    /** Through {@code world}'s nginx, with its {@code ReloadProxy}. */
    static Result run(ProxyWorld world, int rate, int reloads) throws InterruptedException {
        return run(world.httpPort, i -> world.proxy().reloadProxy(ReloadProxyRequest.newBuilder()
                .setReason("bench reload " + (i + 1) + " of " + reloads).build()).getRevision().getOutcome(), rate, reloads);
    }

    /**
     * @param httpPort where nginx listens
     * @param reload   reload number i (from 0), returning when it is done, with its outcome
     * @param reloads  0: the baseline, {@value #BASELINE_SECONDS} s of load and no reload
     */
    static Result run(int httpPort, IntFunction<RevisionOutcome> reload, int rate, int reloads) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        ProxyHttpConnection[] connections = new ProxyHttpConnection[CONNECTIONS];
        ExecutorService[] lanes = new ExecutorService[CONNECTIONS];
        for (int c = 0; c < CONNECTIONS; c++) {
            connections[c] = new ProxyHttpConnection(httpPort, Duration.ofSeconds(10));
            lanes[c] = Executors.newSingleThreadExecutor();
        }
        LongFunction<CompletableFuture<?>> request = i -> {
            int c = (int) (i % CONNECTIONS);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    ProxyHttpConnection.Response response = connections[c].get(ProxyBench.HOST, "/");
                    if (!response.ok()) {
                        throw note(failures, new IllegalStateException("HTTP " + response.status() + ": " + response.body().strip()));
                    }
                    return response;
                } catch (IOException e) {
                    throw note(failures, new UncheckedIOException(e));
                }
            }, lanes[c]);
        };
        Reloads reloader = new Reloads(reload, reloads);
        Thread reloading = new Thread(reloader, "bench-reloads");
        Histogram latency = Latencies.histogram();
        long requests = 0;
        long failed = 0;
        double seconds = 0;
        try {
            if (reloads > 0) {
                reloading.start();
            }
            int segment = 0;
            while (reloads > 0 ? !reloader.done.get() : segment < BASELINE_SECONDS) {
                LoadDriver.Result r = LoadDriver.openLoop(Duration.ofSeconds(1), rate, 2_000, request);
                requests += r.calls() + r.errors();
                failed += r.errors();
                seconds += r.seconds();
                latency.add(r.latency());
                segment++;
            }
            reloading.join();
        } finally {
            reloader.stop.set(true);
            for (int c = 0; c < CONNECTIONS; c++) {
                lanes[c].shutdownNow();
                connections[c].close();
            }
        }
        long retries = 0;
        for (ProxyHttpConnection connection : connections) {
            retries += connection.retries();
        }
        return new Result(requests, failed, retries, seconds, latency, reloader.count, reloader.errors, reloader.outcomes,
                reloader.latency, failures);
    }

    /** Keeps the first few failures to print. */
    private static RuntimeException note(List<String> failures, RuntimeException failure) {
        synchronized (failures) {
            if (failures.size() < 10) {
                failures.add(failure.getCause() != null ? failure.getCause().toString() : failure.getMessage());
            }
        }
        return failure;
    }

    /** {@code count} ReloadProxy calls in a row, each waited for. */
    private static final class Reloads implements Runnable {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final Map<RevisionOutcome, Integer> outcomes = new EnumMap<>(RevisionOutcome.class);
        final Histogram latency = Latencies.histogram();
        private final IntFunction<RevisionOutcome> reload;
        private final int total;
        volatile int count;
        volatile int errors;

        Reloads(IntFunction<RevisionOutcome> reload, int total) {
            this.reload = reload;
            this.total = total;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < total && !stop.get(); i++) {
                    long t0 = System.nanoTime();
                    try {
                        RevisionOutcome outcome = reload.apply(i);
                        synchronized (this) {
                            outcomes.merge(outcome, 1, Integer::sum);
                            latency.recordValue(System.nanoTime() - t0);
                        }
                    } catch (RuntimeException failed) {
                        errors++;
                        if (errors <= 3) {
                            System.out.println("  ReloadProxy failed: " + failed);
                        }
                    }
                    count++;
                    if (count % 100 == 0) {
                        System.out.printf(Locale.ROOT, "  %d reloads%n", count);
                    }
                }
            } finally {
                done.set(true);
            }
        }
    }

    static String describe(String label, Result r) {
        return String.format(Locale.ROOT, "%s: %d requests in %.1f s (%.0f/s), failed %d, stale keep-alive retries %d, latency from due %s"
                        + "%s%s",
                label, r.requests(), r.seconds(), r.requests() / r.seconds(), r.failed(), r.retries(), ProxyReplicaRounds.percentiles(r.latency()),
                r.reloads() == 0 ? "" : String.format(Locale.ROOT, " | %d ReloadProxy (%d failed) %s, outcomes %s", r.reloads(), r.reloadErrors(),
                        ProxyReplicaRounds.percentiles(r.reloadLatency()), r.outcomes()),
                r.firstFailures().isEmpty() ? "" : " | first failures " + r.firstFailures());
    }
}
