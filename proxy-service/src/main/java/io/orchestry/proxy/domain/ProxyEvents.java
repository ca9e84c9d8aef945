package io.orchestry.proxy.domain;

/** How the apply side tells watchers that nginx started, stopped or failed (implemented in persistence, fenced). */
public interface ProxyEvents {
    /** Stores a status event (MODIFIED) and publishes it to this replica's watchers before it returns. */
    void statusChanged(ProxyState state);
}
