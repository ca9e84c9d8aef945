package io.orchestry.controlloop;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerTest {
    private final SettableClock clock = new SettableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> reconciled = new ArrayList<>();
    /** No jitter, so that the delays are exact: 1 s, 2 s, 4 s, ... up to 60 s. */
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0, () -> 0);

    private Controller.Builder<String> controller(Reconciler<String> reconciler) {
        return Controller.builder("test", (String key) -> {
            reconciled.add(key);
            return reconciler.reconcile(key);
        }).clock(clock).backoff(backoff).meterRegistry(meters);
    }

    private void drain(Controller<?> controller) {
        while (controller.processNext()) {
            // runs every key due now
        }
    }

    @Test
    void enqueue_sameKeyTwice_reconcilesOnce() {
        Controller<String> loop = controller(key -> Result.done()).build();

        loop.enqueue("a");
        loop.enqueue("a");
        drain(loop);

        assertEquals(List.of("a"), reconciled);
    }

    @Test
    void enqueue_whileTheKeyIsReconciled_reconcilesItAgainAfter() {
        AtomicReference<Controller<String>> self = new AtomicReference<>();
        Controller<String> loop = controller(key -> {
            if (reconciled.size() == 1) {
                self.get().enqueue(key); // an event for the key arrives during its reconcile
            }
            return Result.done();
        }).build();
        self.set(loop);

        loop.enqueue("a");
        drain(loop);

        assertEquals(List.of("a", "a"), reconciled);
    }

    @Test
    void requeueAfter_reconcilesAgainWhenTheDelayHasPassed() {
        Controller<String> loop = controller(key -> Result.requeueAfter(Duration.ofSeconds(10))).build();
        loop.enqueue("a");
        drain(loop);

        clock.advance(Duration.ofSeconds(9));
        assertFalse(loop.processNext());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(loop.processNext());

        assertEquals(List.of("a", "a"), reconciled);
        assertEquals(0, loop.queue().failures("a"), "a requeue is not a failure");
    }

    @Test
    void exception_retriesWithGrowingBackoff_andSuccessResetsIt() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        Controller<String> loop = controller(key -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("driver timeout");
            }
            return Result.done();
        }).build();
        loop.enqueue("a");
        assertTrue(loop.processNext());

        for (long seconds : new long[]{1, 2, 4}) {
            clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
            assertFalse(loop.processNext(), "not before " + seconds + " s");
            clock.advance(Duration.ofMillis(1));
            assertTrue(loop.processNext(), "after " + seconds + " s");
        }

        assertEquals(4, reconciled.size());
        assertEquals(0, loop.queue().failures("a"));
        assertEquals(3, meters.get(ControllerMetrics.ERRORS).tag("kind", "exception").counter().count());
        clock.advance(Duration.ofHours(1));
        assertFalse(loop.processNext(), "done: no more retries");
    }

    @Test
    void terminal_isCountedAndNotRetried_untilEnqueuedAgain() {
        Controller<String> loop = controller(key -> Result.terminal("spec is invalid")).build();
        loop.enqueue("a");
        drain(loop);

        clock.advance(Duration.ofHours(1));
        assertFalse(loop.processNext());
        assertEquals(1, meters.get(ControllerMetrics.ERRORS).tag("controller", "test").tag("kind", "terminal").counter().count());

        loop.enqueue("a");
        assertTrue(loop.processNext());
        assertEquals(List.of("a", "a"), reconciled);
    }

    @Test
    void resync_enqueuesEveryKeyAtFirstAndAfterEachPeriod() {
        Set<String> keys = Set.of("a", "b");
        Controller<String> loop = controller(key -> Result.done()).resync(Duration.ofSeconds(30), () -> keys).build();

        drain(loop);
        assertEquals(keys, Set.copyOf(reconciled));

        reconciled.clear();
        clock.advance(Duration.ofSeconds(29));
        drain(loop);
        assertEquals(List.of(), reconciled);

        clock.advance(Duration.ofSeconds(1));
        drain(loop);
        assertEquals(keys, Set.copyOf(reconciled));
        assertEquals(2, reconciled.size());
    }

    @Test
    void resyncNow_enqueuesEveryKeyNow() {
        Controller<String> loop = controller(key -> Result.done()).resync(Duration.ofHours(1), () -> List.of("a")).build();
        drain(loop);

        loop.resyncNow();
        drain(loop);

        assertEquals(List.of("a", "a"), reconciled);
    }

    @Test
    void periodic_ticksAtOnceAndThenEveryInterval() {
        AtomicInteger ticks = new AtomicInteger();
        Controller<String> loop = Controller.periodic("ticker", Duration.ofSeconds(5), ticks::incrementAndGet, clock, meters);

        drain(loop);
        assertEquals(1, ticks.get());

        clock.advance(Duration.ofSeconds(4));
        drain(loop);
        assertEquals(1, ticks.get());

        clock.advance(Duration.ofSeconds(1));
        drain(loop);
        assertEquals(2, ticks.get());
    }

    @Test
    void periodic_failingTick_isRetriedSoonerThanTheInterval() {
        AtomicInteger ticks = new AtomicInteger();
        Controller<String> loop = Controller.periodic("ticker", Duration.ofSeconds(5), () -> {
            if (ticks.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
        }, clock, meters);

        drain(loop);
        clock.advance(Duration.ofMillis(100));
        drain(loop);

        assertEquals(2, ticks.get(), "retried after the 100 ms backoff, not after 5 s");
    }

    @Test
    void metrics_showQueueDepthAndReconcileDuration() {
        Controller<String> loop = controller(key -> Result.done()).build();
        loop.enqueue("a");
        loop.enqueue("b");

        assertEquals(2, meters.get(ControllerMetrics.DEPTH).tag("controller", "test").gauge().value());
        drain(loop);
        assertEquals(0, meters.get(ControllerMetrics.DEPTH).gauge().value());
        assertEquals(2, meters.get(ControllerMetrics.DURATION).tag("controller", "test").timer().count());
    }

    @Test
    void start_runsKeysOnNamedDaemonWorkers_andStartsAgainAfterAStop() throws InterruptedException {
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(3);
        Controller<String> loop = Controller.builder("named", (String key) -> {
            threads.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""));
            ran.countDown();
            return Result.done();
        }).workers(2).build();
        loop.start();
        try {
            loop.enqueue("a");
            loop.enqueue("b");
            loop.enqueue("c");
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        } finally {
            loop.stop();
        }
        assertFalse(loop.isRunning());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("named-") && t.isAlive()),
                "stop returned after the workers ended (a reconcile in flight: ControllerThreadsTest)");
        assertTrue(threads.stream().allMatch(name -> name.matches("named-[12] daemon")), threads.toString());

        // started again after a stop (a replica elected again)
        CountDownLatch again = new CountDownLatch(1);
        Controller<String> second = Controller.periodic("again", Duration.ofHours(1), again::countDown);
        second.start();
        second.stop();
        second.start();
        try {
            assertTrue(again.await(10, TimeUnit.SECONDS));
        } finally {
            second.close();
        }
    }
}
