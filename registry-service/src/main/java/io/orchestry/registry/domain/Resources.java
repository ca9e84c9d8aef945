package io.orchestry.registry.domain;

/** An amount of compute: thousandths of a core, bytes of memory, bytes of disk. */
public record Resources(long cpuMillis, long memoryBytes, long diskBytes) {
    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources minus(Resources other) {
        return new Resources(cpuMillis - other.cpuMillis, memoryBytes - other.memoryBytes, diskBytes - other.diskBytes);
    }
}
