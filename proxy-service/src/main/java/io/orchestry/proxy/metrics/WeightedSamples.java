package io.orchestry.proxy.metrics;

import java.time.Duration;
import java.util.Arrays;

/**
 * Latency samples with weights (1 each while a second kept all its requests), and their percentiles by nearest rank:
 * the smallest sample whose cumulative weight reaches {@code p} of the total. Exact when every sample weighs 1.
 */
final class WeightedSamples {
    private long[] values = new long[16];
    private double[] weights = new double[16];
    private int size;
    private double total;
    private boolean sorted = true;

    void add(long value, double weight) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            weights = Arrays.copyOf(weights, size * 2);
        }
        values[size] = value;
        weights[size] = weight;
        size++;
        total += weight;
        sorted = false;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The nearest-rank percentile, {@code 0 < p <= 1}; null without samples. */
    Duration percentile(double p) {
        if (size == 0) {
            return null;
        }
        sort();
        double rank = Math.ceil(p * total - 1e-9);
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += weights[i];
            if (cumulative + 1e-9 >= rank) {
                return Duration.ofNanos(values[i]);
            }
        }
        return Duration.ofNanos(values[size - 1]);
    }

    private void sort() {
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(values[a], values[b]));
        long[] v = new long[size];
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = values[order[i]];
            w[i] = weights[order[i]];
        }
        values = v;
        weights = w;
        sorted = true;
    }
}
