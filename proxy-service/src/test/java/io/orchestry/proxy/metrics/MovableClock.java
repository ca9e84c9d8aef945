package io.orchestry.proxy.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves, like control-loop's {@code SettableClock} (whose test-jar is not on proxy-service's test
 * classpath), plus {@link #set}.
 */
final class MovableClock extends Clock {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private volatile Instant now;

    MovableClock() {
        this(START);
    }

    MovableClock(Instant now) {
        this.now = now;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }

    void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
