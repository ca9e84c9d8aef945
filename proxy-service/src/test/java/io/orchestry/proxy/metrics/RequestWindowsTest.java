package io.orchestry.proxy.metrics;

import io.orchestry.controlloop.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.orchestry.controlloop.SettableClock.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestWindowsTest {
    private static final Duration RETENTION = Duration.ofMinutes(5);
    private final SettableClock clock = new SettableClock(START.plusSeconds(10));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Set<String> known = Set.of();
    private final Map<String, String> projects = Map.of("a", "shop", "b", "shop", "c", "blog");
    private final RequestWindows windows = new RequestWindows(clock, RETENTION, () -> known, projects::get, registry);

    private static AccessRecord request(String app, long atMillis, int status, long latencyMillis) {
        return new AccessRecord(START.plusMillis(atMillis), app.isEmpty() ? "" : "r-" + app, app, "127.0.0.1:1", status,
                10, Duration.ofMillis(latencyMillis + 1), Duration.ofMillis(latencyMillis));
    }

    private AppWindow only(Instant end, Duration length) {
        List<AppWindow> all = windows.window(end, length);
        assertEquals(1, all.size(), all::toString);
        return all.get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200                          | 1 | 1 | 0 | 0 | 0",
            "200 201 204 301 304 404 499 500 503 | 9 | 3 | 2 | 2 | 2",
            "500 502 502 504              | 4 | 0 | 0 | 0 | 4",
            "101 200                      | 2 | 1 | 0 | 0 | 0",
    })
    void window_statuses_countedByClass(String statuses, long requests, long s2, long s3, long s4, long s5) {
        int at = 100;
        for (String status : statuses.trim().split(" ", -1)) {
            windows.record(request("a", at++, Integer.parseInt(status), 5));
        }
        AppWindow window = only(START.plusSeconds(1), Duration.ofSeconds(1));
        assertEquals(requests, window.requests());
        assertEquals(s2, window.status2xx());
        assertEquals(s3, window.status3xx());
        assertEquals(s4, window.status4xx());
        assertEquals(s5, window.status5xx());
        assertEquals("shop", window.project());
        assertEquals((double) requests, window.requestsPerSecond(), 1e-9);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10                  | 10 | 10 | 10",
            "10 20               | 10 | 20 | 20",
            "40 10 30 20         | 20 | 40 | 40",
            "5 1 3               | 3  | 5  | 5",
            "1-100               | 50 | 95 | 99",
            "1-20                | 10 | 19 | 20",
            "1-1000              | 500 | 950 | 990",
    })
    void window_latencies_nearestRankPercentiles(String latencies, long p50, long p95, long p99) {
        int dash = latencies.indexOf('-');
        long[] values = dash > 0
                ? LongStream.rangeClosed(Long.parseLong(latencies.substring(0, dash)),
                Long.parseLong(latencies.substring(dash + 1))).toArray()
                : Arrays.stream(latencies.trim().split(" ", -1)).mapToLong(Long::parseLong).toArray();
        // spread over three seconds, so that the percentiles come from several buckets
        for (int i = 0; i < values.length; i++) {
            windows.record(request("a", 100 + (i % 3) * 1000L, 200, values[i]));
        }
        AppWindow window = only(START.plusSeconds(3), Duration.ofSeconds(3));
        assertEquals(values.length, window.requests());
        assertEquals(Duration.ofMillis(p50), window.p50());
        assertEquals(Duration.ofMillis(p95), window.p95());
        assertEquals(Duration.ofMillis(p99), window.p99());
    }

    @ParameterizedTest(name = "request at {0} ms, window ({2} ms before {1} ms]: {3}")
    @CsvSource({
            "0,     0,    1000, 1",
            "0,     1000, 1000, 0",
            "1,     1000, 1000, 1",
            "1000,  1000, 1000, 1",
            "1001,  1000, 1000, 0",
            "999,   1500, 1000, 1",
            "1200,  1500, 1000, 0",
            "-4000, 1000, 5000, 0",
            "-3999, 1000, 5000, 1",
            "2500,  5000, 2000, 0",
            "3001,  5000, 2000, 1",
            "5000,  5000, 2000, 1",
    })
    void window_edges_wholeSecondsEndInclusive(long requestAt, long endAt, long lengthMillis, long expected) {
        known = Set.of("a");
        windows.record(request("a", requestAt, 200, 1));
        assertEquals(expected, only(START.plusMillis(endAt), Duration.ofMillis(lengthMillis)).requests());
    }

    @Test
    void window_consecutiveWindows_countEveryRequestOnce() {
        for (int i = 0; i < 100; i++) {
            windows.record(request("a", i * 37L, 200, 1)); // 0 .. 3.663 s
        }
        long sum = 0;
        for (int end = 0; end <= 5; end++) {
            sum += windows.window(START.plusSeconds(end), Duration.ofSeconds(1)).stream()
                    .mapToLong(AppWindow::requests).sum();
        }
        assertEquals(100, sum);
    }

    @ParameterizedTest(name = "now {0} s after the request's second: {1}")
    @CsvSource({
            "0,   1",
            "299, 1",
            "300, 0",
            "301, 0",
    })
    void window_pastRetention_dropped(long secondsLater, long expected) {
        known = Set.of("a");
        windows.record(request("a", 500, 200, 1)); // second 1
        clock.set(START.plusSeconds(1 + secondsLater));
        assertEquals(expected, only(START.plusSeconds(1), Duration.ofSeconds(1)).requests());
    }

    @Test
    void record_olderThanRetention_notKept() {
        known = Set.of("a");
        clock.set(START.plus(RETENTION).plusSeconds(5));
        windows.record(request("a", 500, 200, 1));
        assertEquals(0, only(START.plusSeconds(1), Duration.ofSeconds(1)).requests());
    }

    @Test
    void window_knownAppsWithoutRequests_zerosWithoutPercentiles() {
        known = Set.of("a", "b", "c");
        windows.record(request("a", 100, 200, 7));
        windows.record(request("gone", 200, 200, 7)); // a route removed since: still counted under its app
        windows.record(request("old", -5000, 200, 7)); // outside the window: not listed

        Map<String, AppWindow> byApp = windows.window(START.plusSeconds(1), Duration.ofSeconds(1)).stream()
                .collect(Collectors.toMap(AppWindow::app, w -> w));
        assertEquals(Set.of("a", "b", "c", "gone"), byApp.keySet());
        assertEquals(1, byApp.get("a").requests());
        assertEquals(Duration.ofMillis(7), byApp.get("a").p99());
        for (String app : List.of("b", "c")) {
            AppWindow w = byApp.get(app);
            assertEquals(0, w.requests());
            assertEquals(0, w.status2xx() + w.status3xx() + w.status4xx() + w.status5xx());
            assertNull(w.p50());
            assertNull(w.p95());
            assertNull(w.p99());
            assertEquals(0, w.requestsPerSecond());
        }
        assertEquals("blog", byApp.get("c").project());
        assertEquals("", byApp.get("gone").project());
        assertEquals(START, byApp.get("a").windowStart());
        assertEquals(START.plusSeconds(1), byApp.get("a").windowEnd());
    }

    @Test
    void record_perApp_neverSplitByShare() {
        for (int i = 0; i < 30; i++) {
            windows.record(request("a", 100 + i, 200, 1));
        }
        for (int i = 0; i < 10; i++) {
            windows.record(request("b", 100 + i, 500, 1));
        }
        Map<String, AppWindow> byApp = windows.window(START.plusSeconds(1), Duration.ofSeconds(1)).stream()
                .collect(Collectors.toMap(AppWindow::app, w -> w));
        assertEquals(30, byApp.get("a").status2xx());
        assertEquals(0, byApp.get("a").status5xx());
        assertEquals(0, byApp.get("b").status2xx());
        assertEquals(10, byApp.get("b").status5xx());
    }

    @Test
    void record_withoutApp_onlyInPrometheus() {
        windows.record(request("", 100, 404, 0));
        windows.record(request("", 200, 404, 0));
        windows.record(request("a", 300, 200, 3));

        List<AppWindow> all = windows.window(START.plusSeconds(1), Duration.ofSeconds(1));
        assertEquals(List.of("a"), all.stream().map(AppWindow::app).toList());
        assertEquals(2, registry.get("orchestry.proxy.requests.unrouted").tag("status_class", "4xx").counter().count());
        assertEquals(1, registry.get("orchestry.proxy.requests")
                .tags("app", "a", "project", "shop", "status_class", "2xx").counter().count());
        assertTrue(registry.find("orchestry.proxy.requests").tag("app", "").counters().isEmpty());
        assertEquals(1, registry.get("orchestry.proxy.request.duration").tags("app", "a", "project", "shop").timer().count());
    }

    @Test
    void window_moreRequestsThanSamples_exactCountsAndNearPercentiles() {
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            windows.record(request("a", 100 + (i % 2) * 1000L, i % 10 == 0 ? 500 : 200, 1 + (i * 7919L) % 1000));
        }
        AppWindow window = only(START.plusSeconds(2), Duration.ofSeconds(2));
        assertEquals(n, window.requests());
        assertEquals(n / 10, window.status5xx());
        assertTrue(Math.abs(window.p50().toMillis() - 500) <= 60, window::toString); // sampled: near, not exact
        assertTrue(Math.abs(window.p95().toMillis() - 950) <= 30, window::toString);
    }

    @Test
    void window_notPositive_refused() {
        assertThrows(IllegalArgumentException.class, () -> windows.window(START, Duration.ZERO));
    }
}
