package io.orchestry.controlloop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {
    @ParameterizedTest(name = "failure {0} -> {1} ms")
    @CsvSource({"0, 0", "1, 100", "2, 200", "3, 400", "7, 6400", "8, 10000", "64, 10000", "2147483647, 10000"})
    void delay_doublesPerFailure_upToTheMaximum(int failures, long millis) {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 0.5, () -> 0.0);
        assertEquals(Duration.ofMillis(millis), backoff.delay(failures));
    }

    @Test
    void jitter_takesOffAtMostItsShare() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 0.5, () -> 0.999999);
        // half of 200 ms taken off at the most, never more
        assertEquals(100L, lowest.delay(2).toMillis(), "just over half of 200 ms is left");
        Backoff none = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 0.0, () -> 0.9);
        assertEquals(Duration.ofMillis(400), none.delay(3));
    }

    @Test
    void badArguments_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, () -> 0));
    }
}
