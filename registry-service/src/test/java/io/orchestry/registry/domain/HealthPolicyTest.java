package io.orchestry.registry.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HealthPolicyTest {
    private final HealthPolicy policy = new HealthPolicy(Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofSeconds(15));

    @ParameterizedTest(name = "{0} after {1}s -> {2}")
    @CsvSource({
            "READY, 0, READY",
            "READY, 8, READY",
            "READY, 9, SUSPECT",
            "READY, 15, DOWN",
            "SUSPECT, 14, SUSPECT",
            "SUSPECT, 15, DOWN",
            "DOWN, 999, DOWN",
            "PENDING, 999, PENDING",
            "INDEPENDENT, 999, INDEPENDENT"})
    void next_followsTheSilence(NodeStatus current, long silentSeconds, NodeStatus expected) {
        assertEquals(expected, policy.next(current, Duration.ofSeconds(silentSeconds)));
    }

    @Test
    void defaults_declareDownWithin15SecondsOfTheLastHeartbeat() {
        assertEquals(NodeStatus.DOWN, policy.next(NodeStatus.READY, Duration.ofSeconds(15)));
    }

    @Test
    void suspectAfterNotBeforeDown_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new HealthPolicy(Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofSeconds(15)));
    }
}
