package io.orchestry.controlloop;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand, so that TTLs can be tested without sleeping. Only where a test asks for it. */
@Singleton
@Replaces(Clock.class)
@Requires(property = "orchestry.test.settable-clock", value = "true")
public class SettableClock extends Clock {
    /** Where a new clock stands unless told otherwise. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private volatile Instant now;

    public SettableClock() {
        this(START);
    }

    public SettableClock(Instant now) {
        this.now = now;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    public void set(Instant instant) {
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
