package io.orchestry.watch;

/** How to open a watch stream: a server-streaming call (see {@link GrpcWatch#watcher}). */
@FunctionalInterface
public interface Watcher<T> {
    /**
     * Starts watching the changes after {@code resourceVersion}, reporting them to
     * {@code observer}; the returned call cancels it. Must not block.
     */
    WatchCall open(long resourceVersion, WatchObserver<T> observer);
}
