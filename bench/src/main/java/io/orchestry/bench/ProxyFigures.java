package io.orchestry.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One latency figure over rounds: each round's p50/p95/p99/max (ms), and their medians. */
final class ProxyFigures {
    private final List<Double> p50 = new ArrayList<>();
    private final List<Double> p95 = new ArrayList<>();
    private final List<Double> p99 = new ArrayList<>();
    private final List<Double> max = new ArrayList<>();

    void add(Histogram h) {
        if (h.getTotalCount() == 0) {
            return;
        }
        p50.add(Latencies.ms(h, 50));
        p95.add(Latencies.ms(h, 95));
        p99.add(Latencies.ms(h, 99));
        max.add(h.getMaxValue() / 1e6);
    }

    boolean empty() {
        return p99.isEmpty();
    }

    double p99() {
        return empty() ? Double.NaN : Latencies.median(p99);
    }

    /** "p50 a / p95 b / p99 c / max d ms", medians of the rounds. */
    String medians() {
        if (empty()) {
            return "not measured";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms", Latencies.median(p50), Latencies.median(p95),
                Latencies.median(p99), Latencies.median(max));
    }

    /** Whether the median p99 is within {@code targetMs}. */
    String verdict(double targetMs) {
        if (empty()) {
            return "not measured";
        }
        return String.format(Locale.ROOT, "p99 <= %.0f ms: %s", targetMs, p99() <= targetMs ? "met" : "NOT met");
    }
}
