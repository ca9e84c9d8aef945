package io.orchestry.proxy.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-app request windows from the access log's records: each routed request is counted under its own app, in a
 * one-second bucket ({@link AppSeries}), kept for {@code retention} on the injected clock. A window is aggregated from
 * whole buckets, so its edges are whole seconds: {@code (end - length, end]} with both rounded down to the second.
 * Requests no route took have no app: they are counted in Prometheus only. Apps the routes name ({@code knownApps})
 * appear in every window, with zeros when they had no requests; the project is looked up ({@code projectOf}) when a
 * window is made.
 */
public final class RequestWindows implements RequestMetrics, Consumer<AccessRecord> {
    private static final double[] PERCENTILES = {0.50, 0.95, 0.99};

    private final Clock clock;
    private final long retentionSeconds;
    private final Supplier<Set<String>> knownApps;
    private final Function<String, String> projectOf;
    @Nullable
    private final RequestMeters meters;
    private final Map<String, AppSeries> series = new ConcurrentHashMap<>();

    /**
     * @param retention  how long requests are kept for windows ({@code orchestry.proxy.metrics.retention}); whole seconds
     * @param knownApps  the apps of the current routes
     * @param projectOf  an app's project, or null when unknown (then the empty string)
     */
    public RequestWindows(Clock clock, Duration retention, Supplier<Set<String>> knownApps,
                          Function<String, String> projectOf, @Nullable MeterRegistry meterRegistry) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.toSeconds() < 1) {
            throw new IllegalArgumentException("the retention must be at least one second, got " + retention);
        }
        this.retentionSeconds = retention.toSeconds();
        this.knownApps = Objects.requireNonNull(knownApps, "knownApps");
        this.projectOf = Objects.requireNonNull(projectOf, "projectOf");
        this.meters = meterRegistry == null ? null : new RequestMeters(meterRegistry);
    }

    /** Counts one request (the access log tailer's sink). */
    @Override
    public void accept(AccessRecord record) {
        record(record);
    }

    public void record(AccessRecord record) {
        StatusClass statusClass = StatusClass.of(record.status());
        if (!record.routed()) {
            if (meters != null) {
                meters.unrouted(statusClass);
            }
            return;
        }
        if (meters != null) {
            meters.routed(record.app(), project(record.app()), statusClass, record.latency());
        }
        long second = AppSeries.bucketOf(record.time());
        long oldest = oldestDropped();
        if (second <= oldest) {
            return; // older than the retention: no window can ask for it
        }
        series.compute(record.app(), (app, s) -> { // atomic with dropExpired's removal of an empty series
            AppSeries appSeries = s == null ? new AppSeries() : s;
            appSeries.dropThrough(oldest);
            appSeries.add(second, statusClass, record.latency());
            return appSeries;
        });
    }

    @Override
    public List<AppWindow> window(Instant end, Duration length) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a window needs a positive length, got " + length);
        }
        dropExpired();
        long through = end.getEpochSecond();
        long after = end.minus(length).getEpochSecond();
        Set<String> apps = new TreeSet<>(knownApps.get());
        series.forEach((app, s) -> {
            if (s.hasAny(after, through)) {
                apps.add(app);
            }
        });
        Instant start = end.minus(length);
        List<AppWindow> windows = new ArrayList<>(apps.size());
        for (String app : apps) {
            AppSeries s = series.get(app);
            windows.add(s == null ? empty(app, start, end) : window(app, start, end, s.sum(after, through)));
        }
        return windows;
    }

    private AppWindow window(String app, Instant start, Instant end, AppSeries.Totals totals) {
        Duration[] p = new Duration[PERCENTILES.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = totals.latencies.percentile(PERCENTILES[i]);
        }
        return new AppWindow(app, project(app), start, end, totals.requests,
                totals.count(StatusClass.SUCCESS), totals.count(StatusClass.REDIRECTION),
                totals.count(StatusClass.CLIENT_ERROR), totals.count(StatusClass.SERVER_ERROR), p[0], p[1], p[2]);
    }

    private AppWindow empty(String app, Instant start, Instant end) {
        return new AppWindow(app, project(app), start, end, 0, 0, 0, 0, 0, null, null, null);
    }

    private String project(String app) {
        String project = projectOf.apply(app);
        return project == null ? "" : project;
    }

    private long oldestDropped() {
        return clock.instant().getEpochSecond() - retentionSeconds;
    }

    /** Drops buckets past the retention, and apps left without any. */
    private void dropExpired() {
        long oldest = oldestDropped();
        for (String app : series.keySet()) {
            series.computeIfPresent(app, (a, s) -> s.dropThrough(oldest) ? null : s);
        }
    }
}
