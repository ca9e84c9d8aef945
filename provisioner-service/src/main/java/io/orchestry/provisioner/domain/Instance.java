package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * One replica of an app on a node: recorded (state PENDING) before the driver is asked to start it, so a provisioner that
 * dies in between finds the intent and adopts or starts the workload by its deterministic id.
 *
 * @param id           {@code orchestry-<app>-<revision>-<n>}, n from a per-app counter that never repeats; also the
 *                     workload's name on the node
 * @param host         the node's address the ports are published on; empty until started
 * @param ports        every port of the app as published on host, in spec order
 * @param healthySince when it last became healthy (for min ready); null while not healthy
 * @param runtimeId    the driver's handle (container id, {@code <pid>:<start time>}); empty until started
 * @param retiring     the reconciler has chosen to stop it (scale down, old revision, drain, delete): it gets no traffic
 */
public record Instance(
        String id,
        String app,
        String project,
        long revision,
        String nodeName,
        DriverKind driverKind,
        String host,
        List<InstancePort> ports,
        InstanceState state,
        InstanceHealth health,
        int restartCount,
        @Nullable Instant startTime,
        @Nullable Instant healthySince,
        ComputeResources usage,
        String lastError,
        String runtimeId,
        boolean retiring,
        Instant createTime,
        Instant updateTime) {

    public Instance {
        ports = List.copyOf(ports);
    }

    /** The first port, where the proxy sends traffic; 0 when it has none. */
    public int primaryPort() {
        return ports.isEmpty() ? 0 : ports.get(0).port();
    }
}
