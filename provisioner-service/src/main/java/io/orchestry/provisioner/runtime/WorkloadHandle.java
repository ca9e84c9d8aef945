package io.orchestry.provisioner.runtime;

import io.orchestry.provisioner.domain.InstancePort;

import java.time.Instant;
import java.util.List;

/**
 * A started workload.
 *
 * @param runtimeId the container id, or {@code <pid>:<process start time>} (a reused pid never matches)
 * @param host      the address its ports are on
 * @param ports     every port of the spec as published on host, in spec order
 */
public record WorkloadHandle(WorkloadId id, String runtimeId, String host, List<InstancePort> ports, Instant startedAt) {
    public WorkloadHandle {
        ports = List.copyOf(ports);
    }
}
