package io.orchestry.provisioner.fleet;

import io.grpc.ManagedChannel;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.Fingerprint;
import io.orchestry.registry.v1.NodeUsage;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.ReportNodeAllocationRequest;
import io.orchestry.registry.v1.Resources;
import io.orchestry.registry.v1.SendHeartbeatRequest;
import io.orchestry.registry.v1.SendHeartbeatResponse;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link NodeReporter} over the registry's SendHeartbeat and ReportNodeAllocation, a stub per call with its deadline. */
@Singleton
public class GrpcNodeReporter implements NodeReporter {
    private final ManagedChannel registry;
    private final Duration deadline;

    public GrpcNodeReporter(@Named("registry") ManagedChannel registry, FleetConfig config) {
        this.registry = registry;
        this.deadline = config.registryDeadline();
    }

    @Override
    public Optional<Duration> heartbeat(String node, Fingerprint fingerprint) {
        SendHeartbeatResponse response = stub().sendHeartbeat(SendHeartbeatRequest.newBuilder()
                .setNodeName(node)
                .setUsage(NodeUsage.newBuilder()
                        .setCpuMillis(fingerprint.usage().cpuMillis())
                        .setMemoryBytes(fingerprint.usage().memoryBytes())
                        .setRunningWorkloads(fingerprint.runningWorkloads()))
                .build());
        if (!response.hasPolicy() || !response.getPolicy().hasHeartbeatInterval()) {
            return Optional.empty();
        }
        com.google.protobuf.Duration interval = response.getPolicy().getHeartbeatInterval();
        Duration value = Duration.ofSeconds(interval.getSeconds(), interval.getNanos());
        return value.isZero() || value.isNegative() ? Optional.empty() : Optional.of(value);
    }

    @Override
    public void allocation(String node, ComputeResources allocated, int workloads) {
        stub().reportNodeAllocation(ReportNodeAllocationRequest.newBuilder()
                .setName(node)
                .setAllocated(Resources.newBuilder().setCpuMillis(allocated.cpuMillis())
                        .setMemoryBytes(allocated.memoryBytes()))
                .setWorkloads(workloads)
                .build());
    }

    private RegistryServiceGrpc.RegistryServiceBlockingStub stub() {
        return RegistryServiceGrpc.newBlockingStub(registry).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
