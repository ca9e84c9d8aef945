package io.orchestry.provisioner.runtime;

import io.orchestry.provisioner.domain.ComputeResources;

import java.time.Instant;
import java.util.Map;

/**
 * A node as its driver sees it.
 *
 * @param healthy    the driver reached the node and it can run workloads
 * @param detail     why not, or a one-line summary ("Docker Engine 20.10.24, 12 containers")
 * @param capacity   what the node has
 * @param usage      what is in use now (the whole node, not only our workloads)
 * @param attributes typed facts as strings: os, arch, kernel, engine version, cgroup version, ...
 */
public record Fingerprint(boolean healthy, String detail, ComputeResources capacity, ComputeResources usage,
                          int runningWorkloads, Map<String, String> attributes, Instant time) {
    public Fingerprint {
        attributes = Map.copyOf(attributes);
    }

    public static Fingerprint unreachable(String detail, Instant time) {
        return new Fingerprint(false, detail, ComputeResources.ZERO, ComputeResources.ZERO, 0, Map.of(), time);
    }
}
