package io.orchestry.proxy.nginx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One reload of a running master: SIGHUP (the JDK cannot send it, so {@code kill -HUP}), then a wait until none of the
 * workers that ran before accepts connections any more and at least one new worker does, or until the master's logs
 * say the new configuration was refused ({@code [emerg]} lines written after the signal).
 */
final class ReloadSignal {
    private static final Duration POLL = Duration.ofMillis(10);
    /** How long the master's log must stay without new errors before a refused reload is reported. */
    private static final Duration QUIET = Duration.ofMillis(800);

    private ReloadSignal() {
    }

    /**
     * @param logs where the master writes its errors: the configuration's error_log and its stderr
     * @return the new generation's workers
     * @throws NginxException when the master refused the configuration, died, or no new workers came in time
     */
    static Set<Long> reload(long masterPid, List<Path> logs, Duration timeout) {
        Set<Long> before = NginxProcesses.currentWorkers(masterPid);
        LogMark mark = LogMark.of(logs);
        signal("HUP", masterPid);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> errors = mark.linesSince("[emerg]");
            if (!errors.isEmpty()) {
                // let the master finish this attempt (a bind is retried for ~2.5 s) so that its later lines are not
                // taken for the errors of the next reload, e.g. the one that restores the previous revision
                errors = untilQuiet(mark, deadline);
                throw new NginxException("nginx refused the reload: " + String.join("\n", errors));
            }
            if (!NginxProcesses.alive(masterPid)) {
                throw new NginxException("the nginx master (pid " + masterPid + ") died during the reload: "
                        + String.join("\n", mark.allSince()));
            }
            Set<Long> now = NginxProcesses.currentWorkers(masterPid);
            if (!now.isEmpty() && Collections.disjoint(now, before)) {
                return now;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new NginxException("no new nginx workers " + timeout.toMillis() + " ms after the reload signal"
                        + " (workers before " + before + ", now " + now + "): " + String.join("\n", mark.allSince()));
            }
            sleep(POLL);
        }
    }

    private static List<String> untilQuiet(LogMark mark, long deadline) {
        List<String> lines = mark.linesSince("[emerg]");
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET.toNanos() && System.nanoTime() - deadline < 0) {
            sleep(POLL);
            List<String> now = mark.linesSince("[emerg]");
            if (now.size() != lines.size()) {
                lines = now;
                quietSince = System.nanoTime();
            }
        }
        return lines;
    }

    /** {@code kill -<signal> <pid>}: the JDK sends only TERM and KILL. */
    static void signal(String signal, long pid) {
        CommandRun run = CommandRun.of(List.of("kill", "-" + signal, Long.toString(pid)), Duration.ofSeconds(5));
        if (!run.ok()) {
            throw new NginxException("kill -" + signal + " " + pid + " failed: " + run.output());
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NginxException("interrupted while waiting for nginx", e);
        }
    }
}
