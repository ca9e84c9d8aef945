package io.orchestry.provisioner.fleet;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.Fingerprint;

import java.time.Duration;
import java.util.Optional;

/** What the node agent tells the registry about a node. */
public interface NodeReporter {

    /** A heartbeat with the fingerprint's usage; the interval the registry expects heartbeats at, when it says. */
    Optional<Duration> heartbeat(String node, Fingerprint fingerprint);

    /** What the provisioner has placed on the node: the requests of its replicas and how many there are. */
    void allocation(String node, ComputeResources allocated, int workloads);
}
