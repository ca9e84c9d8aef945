package io.orchestry.watch.server;

/** A committed change as watchers receive it: its resource version orders it among all changes of its kind. */
public interface Versioned {
    long resourceVersion();
}
