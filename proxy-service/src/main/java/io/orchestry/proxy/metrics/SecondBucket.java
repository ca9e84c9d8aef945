package io.orchestry.proxy.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The requests to one app in one second: counts by status class and latency samples, all of them up to
 * {@link #MAX_SAMPLES}, then a uniform reservoir of that many (Vitter's algorithm R), each then standing for
 * {@code count / MAX_SAMPLES} requests. Not thread-safe: its {@link AppSeries} guards it.
 */
@SuppressWarnings("EnumOrdinal") // dense counters by status class, in memory only, never persisted
final class SecondBucket {
    static final int MAX_SAMPLES = 512;

    private final long[] classes = new long[StatusClass.values().length];
    private long[] samples = new long[8];
    private int sampled;
    private long count;
    private final SplittableRandom random;

    SecondBucket(SplittableRandom random) {
        this.random = random;
    }

    void add(StatusClass statusClass, long latencyNanos) {
        count++;
        classes[statusClass.ordinal()]++;
        if (sampled < MAX_SAMPLES) {
            if (sampled == samples.length) {
                samples = Arrays.copyOf(samples, Math.min(MAX_SAMPLES, samples.length * 2));
            }
            samples[sampled++] = latencyNanos;
            return;
        }
        long slot = random.nextLong(count);
        if (slot < MAX_SAMPLES) {
            samples[(int) slot] = latencyNanos;
        }
    }

    long count() {
        return count;
    }

    long count(StatusClass statusClass) {
        return classes[statusClass.ordinal()];
    }

    /** Adds this bucket's samples, each with the number of requests it stands for, to {@code into}. */
    void addSamplesTo(WeightedSamples into) {
        double weight = sampled == 0 ? 0 : (double) count / sampled;
        for (int i = 0; i < sampled; i++) {
            into.add(samples[i], weight);
        }
    }
}
