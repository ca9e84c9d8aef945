package io.orchestry.provisioner.domain;

/**
 * CPU and memory: requested, limited, allocated or used.
 *
 * @param cpuMillis thousandths of a core
 */
public record ComputeResources(long cpuMillis, long memoryBytes) {
    public static final ComputeResources ZERO = new ComputeResources(0, 0);

    public ComputeResources plus(ComputeResources other) {
        return new ComputeResources(cpuMillis + other.cpuMillis, memoryBytes + other.memoryBytes);
    }

    public ComputeResources minus(ComputeResources other) {
        return new ComputeResources(cpuMillis - other.cpuMillis, memoryBytes - other.memoryBytes);
    }

    public ComputeResources times(int n) {
        return new ComputeResources(cpuMillis * n, memoryBytes * n);
    }

    /** True when this fits within {@code available} on both axes. */
    public boolean fitsIn(ComputeResources available) {
        return cpuMillis <= available.cpuMillis && memoryBytes <= available.memoryBytes;
    }
}
