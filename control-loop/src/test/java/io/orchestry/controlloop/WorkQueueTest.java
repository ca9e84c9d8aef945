package io.orchestry.controlloop;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkQueueTest {
    private final SettableClock clock = new SettableClock();
    private final WorkQueue<String> queue = new WorkQueue<>(clock, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, () -> 0));

    @Test
    void add_twiceBeforeTaken_handsTheKeyOutOnce() {
        queue.add("a");
        queue.add("a");
        queue.add("b");

        assertEquals(2, queue.depth());
        assertEquals(Optional.of("a"), queue.poll());
        assertEquals(Optional.of("b"), queue.poll());
        assertEquals(Optional.empty(), queue.poll());
    }

    @Test
    void add_whileProcessing_handsTheKeyOutAgainOnlyAfterDone() {
        queue.add("a");
        assertEquals(Optional.of("a"), queue.poll());

        queue.add("a");
        assertEquals(Optional.empty(), queue.poll(), "not to a second worker while the first has it");

        queue.done("a");
        assertEquals(Optional.of("a"), queue.poll(), "the change that came in meanwhile is not lost");
        queue.done("a");
        assertEquals(Optional.empty(), queue.poll());
    }

    @Test
    void addAfter_isDueWhenTheClockPassesTheDelay() {
        queue.addAfter("a", Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(9));
        assertEquals(Optional.empty(), queue.poll());
        assertEquals(1, queue.waiting());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of("a"), queue.poll());
        assertEquals(0, queue.waiting());
    }

    @Test
    void addAfter_twice_keepsTheEarlierTime() {
        queue.addAfter("a", Duration.ofSeconds(10));
        queue.addAfter("a", Duration.ofSeconds(3));
        queue.addAfter("a", Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(3));
        assertEquals(Optional.of("a"), queue.poll());
        queue.done("a");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), queue.poll(), "one timer per key");
    }

    @Test
    void addRateLimited_doublesPerFailureAndForgetResets() {
        assertEquals(Duration.ofSeconds(1), queue.addRateLimited("a"));
        assertEquals(Duration.ofSeconds(2), queue.addRateLimited("a"));
        assertEquals(Duration.ofSeconds(4), queue.addRateLimited("a"));
        assertEquals(3, queue.failures("a"));

        queue.forget("a");

        assertEquals(0, queue.failures("a"));
        assertEquals(Duration.ofSeconds(1), queue.addRateLimited("a"));
    }
}
