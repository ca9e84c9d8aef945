package io.orchestry.proxy.domain;

/** What caused a rendering (the v1 RevisionTrigger without its prefix). */
public enum RevisionTrigger {
    ROUTE_CHANGE,
    INSTANCE_CHANGE,
    MANUAL,
    STARTUP
}
