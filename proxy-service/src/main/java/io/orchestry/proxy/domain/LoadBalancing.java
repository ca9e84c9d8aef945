package io.orchestry.proxy.domain;

/** How a route spreads requests over its app's healthy instances. */
public enum LoadBalancing {
    ROUND_ROBIN,
    LEAST_CONN,
    /** Sticky by client address. */
    IP_HASH
}
