package io.orchestry.controlloop;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void take_afterClose_handsOutNothing_untilOpenedAgain() throws InterruptedException {
        queue.add("a");
        queue.close();

        assertEquals(Optional.empty(), queue.take(Duration.ofMillis(1)), "a stopped controller's worker gets no key");
        assertEquals(1, queue.depth(), "the key stays queued for the next start");

        queue.open();
        assertEquals(Optional.of("a"), queue.take(Duration.ofMillis(1)));
    }

    @Test
    void done_onAKeyNotProcessing_isIgnored() {
        queue.add("a");
        queue.done("a"); // stray: "a" is queued, not processing

        assertEquals(Optional.of("a"), queue.poll());
        assertEquals(Optional.empty(), queue.poll(), "the key is not in the ready list twice");
        queue.done("a");
        queue.done("a"); // a second done of one take
        queue.add("a");
        assertEquals(Optional.of("a"), queue.poll());
        assertEquals(Optional.empty(), queue.poll());
    }

    @Test
    void severalWorkers_neverHoldOneKeyAtOnce() throws InterruptedException {
        Map<String, AtomicInteger> holders = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        int rounds = 2000;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread worker = new Thread(() -> {
                try {
                    while (handled.get() < rounds) {
                        Optional<String> key = queue.take(Duration.ofMillis(5));
                        if (key.isEmpty()) {
                            continue;
                        }
                        AtomicInteger holding = holders.computeIfAbsent(key.get(), k -> new AtomicInteger());
                        if (holding.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        queue.add(key.get()); // an event during the reconcile
                        holding.decrementAndGet();
                        // once per take, by the taker: a second done here could end another
                        // worker's hold once the key was handed out again (the queue cannot tell
                        // whose done it is; a stray done on a key nobody holds is tested apart)
                        queue.done(key.get());
                        handled.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            workers.add(worker);
        }
        queue.add("a");
        queue.add("b");
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(worker.isAlive());
        }
        assertTrue(handled.get() >= rounds);
        assertEquals(0, overlaps.get(), "one key was held by two workers at once");
    }
}
