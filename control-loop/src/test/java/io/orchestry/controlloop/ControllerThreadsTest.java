package io.orchestry.controlloop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controller on real worker threads: stop, self-stop, interrupts and errors. Waits are bounded. */
class ControllerThreadsTest {
    private final List<Controller<?>> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(controller -> controller.stop(Duration.ofMillis(100)));
    }

    private Controller<String> start(String name, Reconciler<String> reconciler) {
        Controller<String> controller = Controller.builder(name, reconciler)
                .backoff(Backoff.of(Duration.ofMillis(1), Duration.ofMillis(10))).build();
        started.add(controller);
        controller.start();
        return controller;
    }

    private static long liveThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(name + "-") && thread.isAlive()).count();
    }

    private static void awaitThreads(String name, long count) throws InterruptedException {
        for (int i = 0; i < 1000 && liveThreads(name) != count; i++) {
            Thread.sleep(10);
        }
        assertEquals(count, liveThreads(name), "live workers of " + name);
    }

    @Test
    void stop_waitsForTheReconcileInFlight_andTheWorkersAreGoneAfter() throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Controller<String> loop = start("stopwait", key -> {
            inFlight.countDown();
            release.await();
            finished.set(true);
            return Result.done();
        });
        loop.enqueue("a");
        assertTrue(inFlight.await(10, TimeUnit.SECONDS));

        Thread releaser = new Thread(() -> {
            while (loop.isRunning()) {
                Thread.onSpinWait();
            }
            release.countDown(); // only once stop() has begun
        });
        releaser.start();
        loop.stop();

        assertTrue(finished.get(), "stop returned only after the reconcile in flight ended");
        assertEquals(0, liveThreads("stopwait"), "no worker left");
        releaser.join(10_000);
    }

    @Test
    void reconcileInterrupted_whileRunning_theWorkerGoesOn() throws InterruptedException {
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch later = new CountDownLatch(1);
        Controller<String> loop = start("interrupted", key -> {
            if (key.equals("later")) {
                later.countDown();
                return Result.done();
            }
            if (key.equals("a")) {
                throw new InterruptedException("a driver call was interrupted");
            }
            Thread.currentThread().interrupt(); // "b": a reconcile that leaves the flag set
            second.countDown();
            return Result.done();
        });
        loop.enqueue("a");
        loop.enqueue("b");

        assertTrue(second.await(10, TimeUnit.SECONDS), "the worker still reconciles after an interrupt");
        loop.enqueue("later"); // after the worker has gone back to waiting, where a left-over flag would throw
        assertTrue(later.await(10, TimeUnit.SECONDS), "the worker still waits for keys after an interrupt");
        assertTrue(loop.isRunning());
        assertEquals(1, liveThreads("interrupted"));
    }

    @Test
    void reconcileThrowsAnError_theKeyIsRetried_andTheWorkerStaysAlive() throws InterruptedException {
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch retried = new CountDownLatch(1);
        CountDownLatch other = new CountDownLatch(1);
        Controller<String> loop = start("erroring", key -> {
            if (key.equals("other")) {
                other.countDown();
            } else if (ticks.incrementAndGet() == 1) {
                throw new AssertionError("a bug in the reconciler");
            } else {
                retried.countDown();
            }
            return Result.done();
        });
        loop.enqueue("a");

        assertTrue(retried.await(10, TimeUnit.SECONDS), "the key is retried, not lost");
        loop.enqueue("other");
        assertTrue(other.await(10, TimeUnit.SECONDS), "the worker survived the Error");
    }

    @Test
    void selfStop_thenStartBeforeItReturns_leavesOneWorker() throws InterruptedException {
        AtomicReference<Controller<String>> self = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch restarted = new CountDownLatch(1);
        Controller<String> loop = start("selfstop", key -> {
            if (key.equals("stop-me")) {
                self.get().stop();
                stopped.countDown();
                restarted.await();
            }
            return Result.done();
        });
        self.set(loop);
        loop.enqueue("stop-me");
        assertTrue(stopped.await(10, TimeUnit.SECONDS));

        loop.start();
        restarted.countDown();

        awaitThreads("selfstop", 1);
        assertTrue(loop.isRunning());
    }

    @Test
    void selfStop_racingAnExternalStop_doesNotDeadlock() throws InterruptedException {
        AtomicReference<Controller<String>> self = new AtomicReference<>();
        CountDownLatch inFlight = new CountDownLatch(1);
        Controller<String> loop = start("race", key -> {
            inFlight.countDown();
            while (self.get().isRunning()) {
                Thread.onSpinWait(); // until the external stop has begun
            }
            self.get().stop();
            return Result.done();
        });
        self.set(loop);
        loop.enqueue("a");
        assertTrue(inFlight.await(10, TimeUnit.SECONDS));

        Thread external = new Thread(loop::stop);
        external.start();
        external.join(TimeUnit.SECONDS.toMillis(8)); // under the 10 s default grace

        assertFalse(external.isAlive(), "the external stop returned");
        awaitThreads("race", 0);
    }

    @Test
    void stopWithGrace_interruptsAHungReconcile_andReturns() throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Controller<String> loop = start("hung", key -> {
            inFlight.countDown();
            try {
                new CountDownLatch(1).await(); // never released
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return Result.done();
        });
        loop.enqueue("a");
        assertTrue(inFlight.await(10, TimeUnit.SECONDS));

        loop.stop(Duration.ofMillis(50));

        assertFalse(loop.isRunning());
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the straggler was interrupted");
        awaitThreads("hung", 0);
    }

    @Test
    void leaderGate_deposed_doesNotHangOnAHungReconcile() throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(1);
        Controller<String> loop = Controller.builder("gatedhung", (String key) -> {
            inFlight.countDown();
            new CountDownLatch(1).await();
            return Result.done();
        }).build();
        started.add(loop);
        SoloLeadership leadership = new SoloLeadership("test", "host/1");
        LeaderGate gate = LeaderGate.of(leadership, Duration.ofMillis(50), loop);
        loop.enqueue("a");
        assertTrue(inFlight.await(10, TimeUnit.SECONDS));

        Thread election = new Thread(leadership::close); // deposed, on its own thread as the election's would be
        election.start();
        election.join(TimeUnit.SECONDS.toMillis(8));

        assertFalse(election.isAlive(), "deposed returned after the grace");
        awaitThreads("gatedhung", 0);
        gate.close();
    }

    @Test
    void leadershipListener_throwingAnError_othersStillHear() {
        LeadershipListeners listeners = new LeadershipListeners();
        AtomicInteger told = new AtomicInteger();
        listeners.add(new LeadershipListener() {
            @Override
            public void elected(long epoch) {
                throw new AssertionError("a broken listener");
            }

            @Override
            public void deposed() {
                throw new StackOverflowError();
            }
        });
        listeners.add(new LeadershipListener() {
            @Override
            public void elected(long epoch) {
                told.incrementAndGet();
            }

            @Override
            public void deposed() {
                told.incrementAndGet();
            }
        });

        listeners.elected(3);
        listeners.deposed();

        assertEquals(2, told.get());
    }
}
