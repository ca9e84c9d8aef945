package io.orchestry.gateway.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The clock that token expiry, the token cache's TTL, rate limits and audit times read (tests replace it with a settable one). */
@Factory
class ClockFactory {
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
