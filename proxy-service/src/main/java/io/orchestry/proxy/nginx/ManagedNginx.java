package io.orchestry.proxy.nginx;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Our own nginx, a child process: {@code nginx -p <state> -c <config> -g 'daemon off;'}, its output appended to
 * {@code <state>/logs/nginx.out}. A supervisor restarts it with backoff when it dies (FAILED with the reason while it is
 * down), after killing the workers the dead master left behind (they would go on serving the old configuration and
 * hold its ports). Workers run as nginx's default unprivileged user: see {@link StateFolder}.
 */
public final class ManagedNginx implements Nginx {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedNginx.class);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int KEPT_GENERATIONS = 16;

    private final @Nullable NginxBinary binary;
    private final Path stateFolder;
    private final Path pidFile;
    private final Path errorLog;
    private final Path outputLog;
    private final Timeouts timeouts;
    private final Backoff restartBackoff;
    private final Runnable onChange;
    private final ScheduledExecutorService supervisor;
    private final Object lock = new Object();
    private final Deque<Set<Long>> oldGenerations = new ArrayDeque<>();
    private final Set<Long> seenWorkers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile State state;
    private volatile String lastError = "";
    private volatile @Nullable Process master;
    private volatile String version;
    private @Nullable Path config;
    private boolean closed;
    private int restartFailures;

    /**
     * @param binary   null when none was found: the state is NOT_FOUND and start fails
     * @param pidFile  the configuration's {@code pid} (NginxSettings.pidFile)
     * @param errorLog the configuration's {@code error_log} (NginxSettings.errorLog), read for a reload's errors
     * @param onChange told (on the supervisor's thread) whenever the state changes, e.g. to publish ProxyState
     */
    public ManagedNginx(@Nullable NginxBinary binary, Path stateFolder, Path pidFile, Path errorLog, Timeouts timeouts,
                        Runnable onChange) {
        this.binary = binary;
        this.stateFolder = stateFolder;
        this.pidFile = pidFile;
        this.errorLog = errorLog;
        this.outputLog = stateFolder.resolve("logs").resolve("nginx.out");
        this.timeouts = timeouts;
        this.restartBackoff = Backoff.of(Duration.ofMillis(200), timeouts.maxRestartDelay());
        this.onChange = onChange;
        this.state = binary == null ? State.NOT_FOUND : State.STOPPED;
        this.lastError = binary == null ? "no nginx binary found" : "";
        this.supervisor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "nginx-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** How long a start, a reload and a stop may take, and the longest wait between restarts. */
    public record Timeouts(Duration start, Duration reload, Duration stop, Duration maxRestartDelay) {
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    @Override
    public String version() {
        if (binary == null) {
            return "";
        }
        if (version == null) {
            version = binary.version();
        }
        return version;
    }

    @Override
    public boolean hasLua() {
        return binary != null && binary.hasLua(stateFolder.resolve("lua-probe"));
    }

    @Override
    public TestResult test(Path configFile) {
        if (binary == null) {
            return new TestResult(false, "no nginx binary found");
        }
        return binary.test(stateFolder, configFile);
    }

    @Override
    public void start(Path configFile) {
        synchronized (lock) {
            if (binary == null) {
                throw new NginxException("no nginx binary found (orchestry.proxy.nginx.binary, PATH, /usr/sbin/nginx)");
            }
            closed = false;
            config = configFile;
            Process running = master;
            if (running != null && running.isAlive()) {
                return;
            }
            try {
                launch(configFile);
            } catch (NginxException e) {
                changed(State.FAILED, e.getMessage());
                throw e;
            }
        }
    }

    @Override
    public void reload() {
        synchronized (lock) {
            Process running = master;
            if (running == null || !running.isAlive()) {
                throw new NginxException("nginx is not running" + (lastError.isEmpty() ? "" : ": " + lastError));
            }
            Set<Long> before = NginxProcesses.currentWorkers(running.pid());
            try {
                Set<Long> now = ReloadSignal.reload(running.pid(), List.of(errorLog, outputLog), timeouts.reload());
                remember(before);
                seenWorkers.addAll(now);
            } catch (NginxException e) {
                lastError = e.getMessage();
                throw e;
            }
            lastError = "";
        }
    }

    @Override
    public long pid() {
        Process running = master;
        return running != null && running.isAlive() ? running.pid() : 0;
    }

    @Override
    public Set<Long> workerPids() {
        Set<Long> workers = NginxProcesses.currentWorkers(pid());
        seenWorkers.addAll(workers);
        return workers;
    }

    @Override
    public int generations() {
        long pid = pid();
        if (pid == 0) {
            return 0;
        }
        Set<Long> shuttingDown = NginxProcesses.shuttingDown(pid);
        synchronized (oldGenerations) {
            oldGenerations.removeIf(generation -> generation.stream().noneMatch(shuttingDown::contains));
            Set<Long> known = new HashSet<>();
            oldGenerations.forEach(known::addAll);
            boolean unknown = shuttingDown.stream().anyMatch(p -> !known.contains(p));
            return 1 + oldGenerations.size() + (unknown ? 1 : 0);
        }
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    /** Where nginx's stdout and stderr go. */
    public Path outputLog() {
        return outputLog;
    }

    @Override
    public void close() {
        Process running;
        synchronized (lock) {
            closed = true;
            running = master;
        }
        supervisor.shutdownNow();
        if (running != null) {
            stop(running);
        }
        synchronized (lock) {
            NginxProcesses.killWorkers(seenWorkers);
            seenWorkers.clear();
            if (state != State.NOT_FOUND) {
                changed(State.STOPPED, "");
            }
        }
    }

    /**
     * A master that the pid file names and that is not ours — left by a proxy service that was killed (SIGKILL, OOM)
     * while its nginx ran on — still holds the ports and serves a configuration nothing updates: stop it (QUIT, then
     * KILL) before starting ours. Only an nginx master whose command line names this state folder is touched.
     */
    private void stopStrayMaster() {
        long stray;
        try {
            stray = Files.isRegularFile(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return;
        }
        if (stray <= 0 || (master != null && master.pid() == stray)) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(stray);
        boolean ours = handle.flatMap(h -> NginxProcesses.title(stray))
                .filter(title -> title.startsWith("nginx: master process") && title.contains(stateFolder.toString()))
                .isPresent();
        if (handle.isEmpty() || !ours) {
            return;
        }
        LOG.warn("nginx master {} from an earlier run of this service still runs on {}: stopping it", stray, stateFolder);
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(stray)).start().waitFor(5, TimeUnit.SECONDS);
            handle.get().onExit().get(timeouts.stop().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            handle.get().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void launch(Path configFile) {
        StateFolder.folder(stateFolder);
        StateFolder.folder(outputLog.getParent());
        stopStrayMaster();
        try {
            Files.deleteIfExists(pidFile); // so that waiting for it waits for this master
        } catch (IOException e) {
            throw new NginxException("cannot remove the old pid file " + pidFile + ": " + e.getMessage(), e);
        }
        LogMark mark = LogMark.of(List.of(errorLog, outputLog));
        Process process;
        try {
            process = new ProcessBuilder(binary.path().toString(), "-p", stateFolder + "/", "-c", configFile.toString(),
                    "-g", "daemon off;")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outputLog.toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new NginxException("cannot start " + binary.path() + ": " + e.getMessage(), e);
        }
        try {
            awaitStarted(process, mark);
        } catch (RuntimeException e) {
            stop(process); // interrupted or timed out: never leave a master we no longer track
            throw e;
        }
        master = process;
        restartFailures = 0;
        changed(State.RUNNING, "");
        LOG.info("nginx {} runs as pid {} with {}", version(), process.pid(), configFile);
        process.onExit().thenRun(() -> exited(process));
    }

    /** Until the master wrote its pid file and has a worker, or it exited, or the start timeout passed. */
    private void awaitStarted(Process process, LogMark mark) {
        long deadline = System.nanoTime() + timeouts.start().toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new NginxException("nginx exited with code " + process.exitValue() + " at start: "
                        + String.join("\n", mark.allSince()));
            }
            Set<Long> workers = NginxProcesses.currentWorkers(process.pid());
            if (pidFileNames(process.pid()) && !workers.isEmpty()) {
                seenWorkers.addAll(workers);
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new NginxException("nginx did not start within " + timeouts.start().toMillis() + " ms: "
                        + String.join("\n", mark.allSince()));
            }
            ReloadSignal.sleep(POLL);
        }
    }

    private boolean pidFileNames(long pid) {
        try {
            return Files.isRegularFile(pidFile) && Files.readString(pidFile).strip().equals(Long.toString(pid));
        } catch (IOException e) {
            return false;
        }
    }

    private void exited(Process process) {
        synchronized (lock) {
            if (master != process) {
                return; // a master we stopped on purpose before starting another
            }
            master = null;
            NginxProcesses.killWorkers(seenWorkers); // orphans would go on serving the old configuration
            seenWorkers.clear();
            synchronized (oldGenerations) {
                oldGenerations.clear();
            }
            if (closed) {
                changed(State.STOPPED, "");
                return;
            }
            String why = "nginx (pid " + process.pid() + ") exited with code " + process.exitValue();
            LOG.warn("{}; restarting it", why);
            changed(State.FAILED, why);
            scheduleRestart();
        }
    }

    private void scheduleRestart() {
        restartFailures++;
        Duration delay = restartBackoff.delay(restartFailures);
        try {
            supervisor.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("nginx supervisor is shut down; no restart");
        }
    }

    private void restart() {
        synchronized (lock) {
            Process running = master;
            if (closed || config == null || (running != null && running.isAlive())) {
                return;
            }
            try {
                launch(config);
                LOG.info("nginx restarted after {} attempt(s)", restartFailures);
            } catch (NginxException e) {
                LOG.warn("nginx restart failed, trying again: {}", e.getMessage());
                changed(State.FAILED, e.getMessage());
                scheduleRestart();
            }
        }
    }

    private void stop(Process process) {
        if (process.isAlive()) {
            try {
                ReloadSignal.signal("QUIT", process.pid()); // graceful: workers finish their requests
            } catch (NginxException e) {
                LOG.debug("SIGQUIT to nginx failed: {}", e.getMessage());
            }
            if (!awaitExit(process, timeouts.stop())) {
                process.destroy();
                if (!awaitExit(process, Duration.ofSeconds(5))) {
                    process.destroyForcibly();
                    awaitExit(process, Duration.ofSeconds(5));
                }
            }
        }
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void remember(Set<Long> generation) {
        if (generation.isEmpty()) {
            return;
        }
        synchronized (oldGenerations) {
            oldGenerations.addFirst(Set.copyOf(generation));
            while (oldGenerations.size() > KEPT_GENERATIONS) {
                oldGenerations.removeLast();
            }
        }
    }

    private void changed(State next, String error) {
        boolean different = state != next || !lastError.equals(error);
        state = next;
        lastError = error;
        if (different) {
            try {
                onChange.run();
            } catch (RuntimeException e) {
                LOG.warn("nginx state listener failed", e);
            }
        }
    }
}
