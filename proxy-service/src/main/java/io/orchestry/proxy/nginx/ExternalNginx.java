package io.orchestry.proxy.nginx;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * An nginx someone else runs (mode external): its master's pid is read from {@code external-pid-file}; it is tested and
 * reloaded through the same binary and signals, never started or stopped. It must have been started with
 * {@code -c <state>/current/nginx.conf}, so that a reload reads the revision the applier swapped in.
 */
public final class ExternalNginx implements Nginx {
    private final @Nullable NginxBinary binary;
    private final Path stateFolder;
    private final Path pidFile;
    private final Path errorLog;
    private final Duration reloadTimeout;
    private volatile String lastError = "";
    private volatile String version;

    public ExternalNginx(@Nullable NginxBinary binary, Path stateFolder, Path pidFile, Path errorLog,
                         Duration reloadTimeout) {
        this.binary = binary;
        this.stateFolder = stateFolder;
        this.pidFile = pidFile;
        this.errorLog = errorLog;
        this.reloadTimeout = reloadTimeout;
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
    public TestResult test(Path config) {
        return binary == null ? new TestResult(false, "no nginx binary found") : binary.test(stateFolder, config);
    }

    /** Checks that the external master runs; it is not ours to start. */
    @Override
    public void start(Path config) {
        if (pid() == 0) {
            lastError = "the external nginx is not running (no live pid in " + pidFile + ")";
            throw new NginxException(lastError);
        }
    }

    @Override
    public void reload() {
        long pid = pid();
        if (pid == 0) {
            lastError = "the external nginx is not running (no live pid in " + pidFile + ")";
            throw new NginxException(lastError);
        }
        try {
            ReloadSignal.reload(pid, List.of(errorLog), reloadTimeout);
            lastError = "";
        } catch (NginxException e) {
            lastError = e.getMessage();
            throw e;
        }
    }

    @Override
    public long pid() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return NginxProcesses.alive(pid) ? pid : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public Set<Long> workerPids() {
        return NginxProcesses.currentWorkers(pid());
    }

    @Override
    public int generations() {
        long pid = pid();
        if (pid == 0) {
            return 0;
        }
        return 1 + (NginxProcesses.shuttingDown(pid).isEmpty() ? 0 : 1);
    }

    @Override
    public State state() {
        if (binary == null) {
            return State.NOT_FOUND;
        }
        return pid() == 0 ? State.STOPPED : State.RUNNING;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    /** Nothing: the external nginx is not ours to stop. */
    @Override
    public void close() {
    }
}
