package io.orchestry.registry.domain;

/** What a node says it uses, in its latest heartbeat. */
public record NodeUsage(long cpuMillis, long memoryBytes, long diskBytes, int workloads) {
    public static final NodeUsage NONE = new NodeUsage(0, 0, 0, 0);
}
