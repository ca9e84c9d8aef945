package io.orchestry.launcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RestartBackoffTest {
    private static final Duration QUICK = Duration.ofSeconds(2);

    @Test
    void next_quickExits_doublesFromOneSecondUpToThirty() {
        RestartBackoff backoff = new RestartBackoff();
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            seconds.add(backoff.next(QUICK).toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), seconds);
    }

    @Test
    void next_afterStayingUpSixtySeconds_startsAgainAtOneSecond() {
        RestartBackoff backoff = new RestartBackoff();
        backoff.next(QUICK);
        backoff.next(QUICK);
        assertEquals(Duration.ofSeconds(4), backoff.next(Duration.ofSeconds(59)));
        assertEquals(Duration.ofSeconds(1), backoff.next(Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(2), backoff.next(QUICK));
    }

    @Test
    void next_manyQuickExits_neverOverflows() {
        RestartBackoff backoff = new RestartBackoff();
        for (int i = 0; i < 10_000; i++) {
            backoff.next(Duration.ZERO);
        }
        assertEquals(RestartBackoff.MAX, backoff.next(Duration.ZERO));
    }

    @Test
    void constructor_initialAboveMax_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60)));
    }
}
