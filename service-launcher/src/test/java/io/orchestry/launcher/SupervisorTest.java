package io.orchestry.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real child processes (sh, sleep); the scheduler records each delay and runs the restart at once. */
class SupervisorTest {
    private final List<Shell> started = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Shell> restarted = new LinkedBlockingQueue<>();
    private final MutableClock clock = new MutableClock();

    @AfterEach
    void stopEverything() {
        started.forEach(Shell::close);
    }

    @Test
    void exitOnItsOwn_isStartedAgain_withGrowingDelays() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        // the first three exit at once with code 3, the fourth keeps running
        Supervisor<Shell> supervisor = supervisor(() -> starts.incrementAndGet() <= 3 ? shell("exit 3") : shell("sleep 60"));
        try {
            supervisor.start();
            for (int i = 0; i < 3; i++) {
                assertNotNull(restarted.poll(30, TimeUnit.SECONDS), "restart " + (i + 1));
            }
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), delays);
            assertEquals(List.of(
                    "demo exited with code 3; restarting in 1 s (restart 1)",
                    "demo exited with code 3; restarting in 2 s (restart 2)",
                    "demo exited with code 3; restarting in 4 s (restart 3)"), log);
            assertTrue(supervisor.current().process.isAlive());
            assertEquals(3, supervisor.restarts());
        } finally {
            supervisor.close();
        }
        assertFalse(supervisor.current().process.isAlive());
    }

    @Test
    void killed_isStartedAgain_andTheLogSaysWithWhichCode() throws Exception {
        Supervisor<Shell> supervisor = supervisor(() -> shell("sleep 60"));
        try {
            Shell first = supervisor.start();
            first.process.destroyForcibly();
            Shell second = restarted.poll(30, TimeUnit.SECONDS);
            assertNotNull(second);
            assertTrue(second.process.isAlive());
            assertEquals(List.of("demo exited with code 137; restarting in 1 s (restart 1)"), log);
        } finally {
            supervisor.close();
        }
    }

    @Test
    void exitAfterStayingUpAMinute_isStartedAgainAfterOneSecond() throws Exception {
        Supervisor<Shell> supervisor = supervisor(() -> shell("sleep 60"));
        try {
            supervisor.start().process.destroyForcibly();
            restarted.poll(30, TimeUnit.SECONDS).process.destroyForcibly();
            clock.advance(Duration.ofSeconds(5));
            Shell third = restarted.poll(30, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(61));
            third.process.destroyForcibly();
            assertNotNull(restarted.poll(30, TimeUnit.SECONDS));
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)), delays);
        } finally {
            supervisor.close();
        }
    }

    @Test
    void close_stopsTheProcess_andNothingStartsAgain() throws Exception {
        Supervisor<Shell> supervisor = supervisor(() -> shell("sleep 60"));
        Shell only = supervisor.start();
        supervisor.close();
        assertFalse(only.process.isAlive());
        // the exit listener has run by now or runs at once: either way it must not restart
        only.process.onExit().join();
        assertEquals(1, started.size());
        assertTrue(log.isEmpty(), log.toString());
        assertEquals(0, supervisor.restarts());
    }

    @Test
    void stopRestarting_thenAnExit_isNotStartedAgain() throws Exception {
        Supervisor<Shell> supervisor = supervisor(() -> shell("sleep 60"));
        try {
            Shell only = supervisor.start();
            supervisor.stopRestarting();
            assertTrue(only.process.isAlive(), "the process runs on");
            only.process.destroyForcibly();
            only.process.onExit().join();
            assertEquals(1, started.size());
            assertTrue(log.isEmpty(), log.toString());
        } finally {
            supervisor.close();
        }
    }

    @Test
    void failedRestart_isTriedAgain() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        Supervisor<Shell> supervisor = supervisor(() -> {
            int n = starts.incrementAndGet();
            if (n == 2) {
                throw new IllegalStateException("not built");
            }
            return shell("sleep 60");
        });
        try {
            supervisor.start().process.destroyForcibly();
            assertNotNull(restarted.poll(30, TimeUnit.SECONDS));
            assertEquals(3, starts.get());
            assertEquals("demo could not be started again (not built); trying again in 2 s", log.get(1));
        } finally {
            supervisor.close();
        }
    }

    private Supervisor<Shell> supervisor(Supplier<Shell> starter) {
        Supervisor.Scheduler atOnce = (delay, task) -> {
            delays.add(delay);
            Thread thread = new Thread(task, "test-restart");
            thread.setDaemon(true);
            thread.start();
        };
        return new Supervisor<>("demo", starter, log::add, restarted::add, clock, atOnce, new RestartBackoff());
    }

    private Shell shell(String script) {
        try {
            Shell shell = new Shell(new ProcessBuilder("sh", "-c", script).start());
            started.add(shell);
            return shell;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real process under supervision. */
    static final class Shell implements Supervised {
        final Process process;

        Shell(Process process) {
            this.process = process;
        }

        @Override
        public CompletableFuture<Process> onExit() {
            return process.onExit();
        }

        @Override
        public void close() {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
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
}
