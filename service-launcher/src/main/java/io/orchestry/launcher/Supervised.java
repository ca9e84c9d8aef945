package io.orchestry.launcher;

import java.util.concurrent.CompletableFuture;

/** A child process that a {@link Supervisor} watches and starts again when it exits on its own. */
public interface Supervised extends AutoCloseable {
    /** Completes with the process when it has exited. */
    CompletableFuture<Process> onExit();

    /** Stops the process (gracefully, then forcibly) and waits until it is gone. */
    @Override
    void close();
}
