package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * A node as the provisioner knows it from the registry (kept current by a watch).
 *
 * @param endpoint    where the driver reaches it ("local", "unix:///var/run/docker.sock", "tcp://host:2376")
 * @param address     the address its workloads' ports are published on (127.0.0.1 for local nodes)
 * @param allocatable capacity minus what the node keeps for itself
 * @param status      the registry's health: PENDING, READY, SUSPECT, DOWN, INDEPENDENT
 * @param mode        the registry's scheduling mode: SCHEDULABLE, CORDONED, DRAINING
 */
public record FleetNode(String name, DriverKind driverKind, String endpoint, String address, String region,
                        Map<String, String> labels, ComputeResources allocatable, Status status, Mode mode,
                        @Nullable Instant drainDeadline, boolean independent) {

    public FleetNode {
        labels = Map.copyOf(labels);
    }

    public enum Status { PENDING, READY, SUSPECT, DOWN, INDEPENDENT }

    public enum Mode { SCHEDULABLE, CORDONED, DRAINING }

    /** New replicas may go here: READY, schedulable, not independent. */
    public boolean acceptsPlacements() {
        return status == Status.READY && mode == Mode.SCHEDULABLE && !independent;
    }
}
