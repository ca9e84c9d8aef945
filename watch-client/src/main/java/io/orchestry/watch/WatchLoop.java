package io.orchestry.watch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread a client runs its steps on: woken by the transport, or when the last step's
 * delay has passed. (A stand-in for control-loop's {@code Controller} with one key, until it lands.)
 */
final class WatchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(WatchLoop.class);
    private static final Duration AFTER_UNEXPECTED = Duration.ofSeconds(1);

    private final String name;
    private final Supplier<Duration> step;
    private Thread thread;
    private boolean woken;
    private boolean stopped;

    WatchLoop(String name, Supplier<Duration> step) {
        this.name = name;
        this.step = step;
    }

    synchronized void start() {
        if (thread != null || stopped) {
            return;
        }
        woken = true;
        thread = new Thread(this::run, "watch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    /** Stops the thread, after the step in flight. */
    void stop() {
        Thread running;
        synchronized (this) {
            stopped = true;
            notifyAll();
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        boolean due = false; // whether the last step asked to run again at dueAt (System.nanoTime())
        long dueAt = 0;
        while (true) {
            synchronized (this) {
                try {
                    while (!stopped && !woken) {
                        if (!due) {
                            wait();
                        } else {
                            long left = dueAt - System.nanoTime();
                            if (left <= 0) {
                                break;
                            }
                            TimeUnit.NANOSECONDS.timedWait(this, left);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (stopped) {
                    return;
                }
                woken = false;
            }
            Duration next;
            try {
                next = step.get();
            } catch (RuntimeException e) {
                LOG.error("watch {}: unexpected failure; trying again in {}", name, AFTER_UNEXPECTED, e);
                next = AFTER_UNEXPECTED;
            }
            due = next != null;
            dueAt = due ? System.nanoTime() + next.toNanos() : 0;
        }
    }
}
