package io.orchestry.proxy.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What /proc says about an nginx master's workers. The JDK finds a master's children; the title nginx gives each process
 * ({@code nginx: worker process}, {@code nginx: worker process is shutting down}) tells the current generation from old
 * ones that are finishing their requests.
 */
final class NginxProcesses {
    static final String WORKER = "nginx: worker process";
    static final String SHUTTING_DOWN = "is shutting down";

    private NginxProcesses() {
    }

    /** The master's workers that accept new connections. */
    static Set<Long> currentWorkers(long masterPid) {
        return workers(masterPid, false);
    }

    /** The master's workers of an older generation, still finishing their requests. */
    static Set<Long> shuttingDown(long masterPid) {
        return workers(masterPid, true);
    }

    /** Whether that pid is (still) an nginx worker of any generation: so that a reused pid is never signalled. */
    static boolean isWorker(long pid) {
        return title(pid).map(t -> t.startsWith(WORKER)).orElse(false);
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILL to every pid of {@code pids} that is still an nginx worker (orphans of a master that died). */
    static void killWorkers(Collection<Long> pids) {
        for (long pid : pids) {
            if (isWorker(pid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** The process's title: its cmdline with NULs as spaces, stripped; empty when it is gone. */
    static Optional<String> title(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Optional.of(new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Set<Long> workers(long masterPid, boolean shuttingDown) {
        Set<Long> pids = new TreeSet<>();
        if (masterPid <= 0) {
            return pids;
        }
        ProcessHandle.of(masterPid).ifPresent(master -> master.children().forEach(child -> {
            Optional<String> title = title(child.pid());
            if (title.isPresent() && title.get().startsWith(WORKER)
                    && title.get().contains(SHUTTING_DOWN) == shuttingDown) {
                pids.add(child.pid());
            }
        }));
        return pids;
    }
}
