package io.orchestry.proxy.nginx;

import java.nio.file.Path;
import java.util.Set;

/**
 * The nginx the proxy drives: its own child process (managed) or one it was pointed at (external). One interface over the
 * real binary; tests run the real one too.
 */
public interface Nginx extends AutoCloseable {
    /** {@code nginx -v}'s version, e.g. {@code 1.22.1}; empty when no binary was found. */
    String version();

    /** Whether the Lua module can be loaded (the renderer then renders the balancer). */
    boolean hasLua();

    /** {@code nginx -t} of that configuration: ok, or nginx's output. Never touches the running nginx. */
    TestResult test(Path config);

    /** Runs with that configuration (managed: starts the master, waits until it answers). Idempotent while running. */
    void start(Path config);

    /**
     * Signals the master to load its configuration file again (SIGHUP) and waits until a new generation of workers runs,
     * or the master reports the reload failed (then throws {@link NginxException} with its error log lines).
     */
    void reload();

    /** The master's pid; 0 when not running. */
    long pid();

    /** The master's current worker processes (children that are not shutting down). */
    Set<Long> workerPids();

    /** How many generations of workers are alive: 1 when no old workers are still finishing requests. */
    int generations();

    State state();

    /** Why it is not running, or why the last start or reload failed; empty otherwise. */
    String lastError();

    /** Stops the master (managed: SIGQUIT, then SIGTERM after a grace, then SIGKILL; external: nothing). */
    @Override
    void close();

    enum State { NOT_FOUND, STOPPED, RUNNING, FAILED }

    record TestResult(boolean ok, String output) {
    }
}
