package io.orchestry.watch;

/** An open watch stream. */
@FunctionalInterface
public interface WatchCall {
    /** Ends the stream; what it reports afterwards is ignored. Safe from any thread, more than once. */
    void cancel();
}
