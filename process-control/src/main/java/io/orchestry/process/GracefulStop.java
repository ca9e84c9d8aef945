package io.orchestry.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way Orchestry stops a process: SIGTERM to it (to its whole process group when it leads one, as the process
 * driver's {@code setsid} workloads do), then, once it exited or the grace ran out, SIGKILL to the group and to every
 * descendant seen before or after (so nothing it started is left behind), and a bounded wait for the end.
 */
public final class GracefulStop {
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private GracefulStop() {
    }

    /**
     * Stops the process and everything it started.
     *
     * @return true when it ended within the grace on SIGTERM, false when it had to be killed (or was already gone: true)
     */
    public static boolean stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        long group = ProcStat.read(process.pid()).filter(ProcStat::leadsItsGroup).map(ProcStat::pgrp).orElse(0L);
        if (group > 0) {
            signalGroup("TERM", group);
        } else {
            process.destroy();
        }
        boolean graceful = awaitExit(process, grace);
        List<ProcessHandle> later = process.isAlive() ? process.descendants().toList() : List.of();
        if (!graceful) {
            process.destroyForcibly();
        }
        if (group > 0) {
            signalGroup("KILL", group);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        later.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (!graceful) {
            awaitExit(process, AFTER_KILL);
        }
        return graceful;
    }

    /** Waits up to {@code timeout} for the process to end: whether it did. */
    public static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** {@code kill -SIG -- -<pgid>}: the JDK has no killpg. A group that is gone already is no error. */
    static void signalGroup(String signal, long pgid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot run kill to signal process group " + pgid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
