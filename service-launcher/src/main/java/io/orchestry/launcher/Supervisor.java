package io.orchestry.launcher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps one child process running: when it exits without being asked to, the supervisor says so
 * ("registry-service exited with code 137; restarting in 2 s (restart 3)") and starts it again after
 * a {@link RestartBackoff} delay. {@link #close()} stops it for good; a pending restart is dropped.
 *
 * @param <P> the kind of process: a {@link ServiceProcess} in dev mode
 */
public final class Supervisor<P extends Supervised> implements AutoCloseable {
    /** Runs a task after a delay; dev mode uses one {@link #daemonScheduler} for all its supervisors. */
    @FunctionalInterface
    public interface Scheduler {
        void after(Duration delay, Runnable task);
    }

    private final String name;
    private final Supplier<P> starter;
    private final Consumer<String> log;
    private final Consumer<P> restarted;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RestartBackoff backoff;
    private P current;
    private Instant startedAt;
    private int restarts;
    private boolean stopping;

    /**
     * @param name      what the log lines call the process
     * @param starter   starts the process (again); it throws when it cannot
     * @param log       receives one line per exit and per failed restart
     * @param restarted called (on the scheduler's thread) with each process started again
     */
    public Supervisor(String name, Supplier<P> starter, Consumer<String> log, Consumer<P> restarted,
                      Clock clock, Scheduler scheduler, RestartBackoff backoff) {
        this.name = name;
        this.starter = starter;
        this.log = log;
        this.restarted = restarted;
        this.clock = clock;
        this.scheduler = scheduler;
        this.backoff = backoff;
    }

    /** A scheduler on one daemon thread, for supervisors that live as long as the JVM. */
    @SuppressWarnings("FutureReturnValueIgnored") // a restart is never cancelled: the supervisor's own flag drops it
    public static Scheduler daemonScheduler() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "supervisor");
            thread.setDaemon(true);
            return thread;
        });
        return (delay, task) -> executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the process the first time; a failure here is thrown, not retried. */
    public synchronized P start() {
        if (current != null) {
            throw new IllegalStateException(name + " is already supervised");
        }
        return launch();
    }

    /** The process as it runs now (the last one started). */
    public synchronized P current() {
        return current;
    }

    /** How many times the process was started again. */
    public synchronized int restarts() {
        return restarts;
    }

    /** Holds the lock. */
    @SuppressWarnings("FutureReturnValueIgnored") // onExit().thenAccept is a listener: nothing waits for it
    private P launch() {
        P process = starter.get();
        current = process;
        startedAt = clock.instant();
        process.onExit().thenAccept(exited -> exited(process, exited));
        return process;
    }

    private void exited(P process, Process exited) {
        Duration delay;
        int restart;
        synchronized (this) {
            if (stopping || process != current) {
                return;
            }
            delay = backoff.next(Duration.between(startedAt, clock.instant()));
            restart = ++restarts;
        }
        log.accept(name + " exited with code " + exited.exitValue() + "; restarting in " + format(delay) + " (restart " + restart + ")");
        scheduler.after(delay, this::restart);
    }

    private void restart() {
        P process;
        synchronized (this) {
            if (stopping) {
                return;
            }
            try {
                process = launch();
            } catch (RuntimeException e) {
                Duration delay = backoff.next(Duration.ZERO);
                log.accept(name + " could not be started again (" + e.getMessage() + "); trying again in " + format(delay));
                scheduler.after(delay, this::restart);
                return;
            }
        }
        restarted.accept(process);
    }

    /**
     * No restart after this, even of a restart already scheduled; the process runs on. Lets a caller
     * that stops many processes say so to all of them first: a Ctrl-C reaches the children too.
     */
    public synchronized void stopRestarting() {
        stopping = true;
    }

    /** Stops the process for good: no restart after this, even of a restart already scheduled. */
    @Override
    public void close() {
        P process;
        synchronized (this) {
            stopping = true;
            process = current;
        }
        if (process != null) {
            process.close();
        }
    }

    static String format(Duration delay) {
        return delay.toMillis() % 1000 == 0 ? delay.toSeconds() + " s" : delay.toMillis() + " ms";
    }
}
