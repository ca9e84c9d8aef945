package io.orchestry.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Latency percentiles in milliseconds from an HdrHistogram of nanoseconds, and medians over rounds. */
final class Latencies {
    private Latencies() {
    }

    static Histogram histogram() {
        return new Histogram(60_000_000_000L, 3);
    }

    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1_000_000.0;
    }

    static String summary(Histogram h) {
        return String.format(Locale.ROOT, "p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms",
                ms(h, 50), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1_000_000.0);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
