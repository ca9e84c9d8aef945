package io.orchestry.provisioner.runtime;

import java.time.Instant;

/** One usage sample: CPU in thousandths of a core averaged since the previous sample, memory in use. */
public record WorkloadUsage(long cpuMillis, long memoryBytes, Instant time) {
}
