package io.orchestry.watch;

/**
 * Where a {@link WatchClient} delivers, one call at a time on its own loop thread: a snapshot after
 * every list, then each change in order. A call that throws makes the client list again (after a
 * backoff), since the listener may have missed what it could not apply.
 */
public interface WatchListener<T> {
    /** A full list: replace everything known with it. */
    void snapshot(Snapshot<T> snapshot);

    /** The next change after the last snapshot or event. */
    void event(WatchEvent<T> event);
}
