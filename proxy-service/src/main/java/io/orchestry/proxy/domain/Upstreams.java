package io.orchestry.proxy.domain;

import java.util.List;
import java.util.Map;

/**
 * The healthy endpoints of every app's ports, as the provisioner's WatchInstances reports them (list-then-watch). An
 * instance is an endpoint while it is RUNNING, HEALTHY and not retiring; it leaves at the first change that says
 * otherwise, or when it is deleted.
 */
public interface Upstreams {
    /** Whether the first list has arrived: before it, an empty answer means "don't know yet", not "no instances". */
    boolean listed();

    /** Every app port with at least one endpoint, endpoints sorted; apps without any are absent. */
    Map<UpstreamKey, List<Endpoint>> current();

    /** Called on the watch's thread after every change that changed {@link #current()}, with the keys that changed. */
    void addListener(UpstreamListener listener);

    @FunctionalInterface
    interface UpstreamListener {
        void changed(java.util.Set<UpstreamKey> keys, String reason);
    }
}
