package io.orchestry.proxy.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One app's requests, second by second: bucket {@code s} (epoch seconds) holds the requests logged in
 * {@code (s - 1 s, s]}, so that a window {@code (end - length, end]} in whole seconds is a range of whole buckets.
 */
@SuppressWarnings("EnumOrdinal") // dense counters by status class, in memory only, never persisted
final class AppSeries {
    private final NavigableMap<Long, SecondBucket> buckets = new TreeMap<>();
    private final SplittableRandom random = new SplittableRandom();

    /** The bucket a request logged at {@code time} belongs to. */
    static long bucketOf(Instant time) {
        return time.getNano() == 0 ? time.getEpochSecond() : time.getEpochSecond() + 1;
    }

    synchronized void add(long second, StatusClass statusClass, Duration latency) {
        buckets.computeIfAbsent(second, s -> new SecondBucket(random.split())).add(statusClass, latency.toNanos());
    }

    /** Drops the buckets at or before {@code oldestDropped}; true when none is left. */
    synchronized boolean dropThrough(long oldestDropped) {
        buckets.headMap(oldestDropped, true).clear();
        return buckets.isEmpty();
    }

    synchronized boolean hasAny(long afterSecond, long throughSecond) {
        return !buckets.subMap(afterSecond, false, throughSecond, true).isEmpty();
    }

    /** The buckets in {@code (afterSecond, throughSecond]}, summed. */
    synchronized Totals sum(long afterSecond, long throughSecond) {
        Totals totals = new Totals();
        for (SecondBucket bucket : buckets.subMap(afterSecond, false, throughSecond, true).values()) {
            totals.requests += bucket.count();
            for (StatusClass c : StatusClass.values()) {
                totals.byClass[c.ordinal()] += bucket.count(c);
            }
            bucket.addSamplesTo(totals.latencies);
        }
        return totals;
    }

    /** A window's sums. */
    static final class Totals {
        long requests;
        final long[] byClass = new long[StatusClass.values().length];
        final WeightedSamples latencies = new WeightedSamples();

        long count(StatusClass statusClass) {
            return byClass[statusClass.ordinal()];
        }
    }
}
