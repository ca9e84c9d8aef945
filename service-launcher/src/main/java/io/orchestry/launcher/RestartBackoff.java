package io.orchestry.launcher;

import java.time.Duration;

/**
 * How long to wait before starting again a process that exited on its own: 1 s after the first
 * exit, doubling with every exit that follows soon after a start, at most 30 s; a process that
 * stayed up for 60 s or more is back at 1 s. Pure: the caller says how long the process was up.
 */
public final class RestartBackoff {
    public static final Duration INITIAL = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(30);
    public static final Duration RESET_AFTER = Duration.ofSeconds(60);

    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private int quickExits;

    public RestartBackoff() {
        this(INITIAL, MAX, RESET_AFTER);
    }

    public RestartBackoff(Duration initial, Duration max, Duration resetAfter) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
    }

    /** The delay before the next start, given how long the process ran before it exited. */
    public synchronized Duration next(Duration uptime) {
        if (uptime.compareTo(resetAfter) >= 0) {
            quickExits = 0;
        }
        Duration delay = initial;
        for (int i = 0; i < quickExits && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        quickExits++;
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
