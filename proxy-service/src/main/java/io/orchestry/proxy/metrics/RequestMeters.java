package io.orchestry.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access log's requests in Prometheus: {@code orchestry.proxy.requests{app,project,status_class}} and
 * {@code orchestry.proxy.request.duration{app,project}} (p50/p95/p99 and a histogram), per app; requests no route took
 * count in {@code orchestry.proxy.requests.unrouted{status_class}}.
 */
final class RequestMeters {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void routed(String app, String project, StatusClass statusClass, Duration latency) {
        counters.computeIfAbsent(app + '\n' + project + '\n' + statusClass.label(), k -> Counter
                .builder("orchestry.proxy.requests")
                .description("Requests through nginx, by app and status class, from the access log")
                .tags("app", app, "project", project, "status_class", statusClass.label())
                .register(registry)).increment();
        timers.computeIfAbsent(app + '\n' + project, k -> Timer.builder("orchestry.proxy.request.duration")
                .description("Upstream response time of requests through nginx (the request time when no upstream answered)")
                .tags("app", app, "project", project)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(registry)).record(latency);
    }

    void unrouted(StatusClass statusClass) {
        counters.computeIfAbsent("\n\n" + statusClass.label(), k -> Counter.builder("orchestry.proxy.requests.unrouted")
                .description("Requests through nginx that no route took (the default server's answer)")
                .tags("status_class", statusClass.label())
                .register(registry)).increment();
    }
}
