package io.orchestry.controlloop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, the one every retry in Orchestry uses (work queue requeues,
 * watch reconnects): the n-th consecutive failure waits {@code base * 2^(n-1)}, at most {@code max},
 * less a random part of up to {@code jitter} of it, so that many retrying clients spread out.
 */
public final class Backoff {
    private final Duration base;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    /**
     * @param jitter 0 (none) to 1 (anything from 0 to the full delay)
     * @param random values in [0, 1); tests pass a fixed one
     */
    public Backoff(Duration base, Duration max, double jitter, DoubleSupplier random) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max, got " + base + " and " + max);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be 0 to 1, got " + jitter);
        }
        this.base = base;
        this.max = max;
        this.jitter = jitter;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** {@code base} to {@code max}, with up to a fifth taken off at random. */
    public static Backoff of(Duration base, Duration max) {
        return new Backoff(base, max, 0.2, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** How long to wait after the {@code failures}-th failure in a row (1 or more). */
    public Duration delay(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(failures - 1, 62);
        long nanos = baseNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, baseNanos << shift);
        return Duration.ofNanos(nanos - (long) (nanos * jitter * random.getAsDouble()));
    }

    public Duration max() {
        return max;
    }
}
