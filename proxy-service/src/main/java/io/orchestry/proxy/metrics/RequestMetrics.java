package io.orchestry.proxy.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Per-app request figures aggregated from the access log over a sliding window. */
public interface RequestMetrics {
    /**
     * The window {@code (end - length, end]} for every app known to the proxy (from its routes) and every app seen in the
     * log during it; apps without requests have zeros and no percentiles.
     */
    List<AppWindow> window(Instant end, Duration length);
}
