package io.orchestry.dev;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.Resources;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This machine as nodes of the dev stack: a process node {@code local}, and a docker node
 * {@code docker} when a Docker Engine answers. They are registered through the registry's gRPC API
 * once it is ready; a node that is already there (a kept data dir) is left as it is. The
 * provisioner, which reaches their drivers, heartbeats for them.
 */
final class LocalNodes {
    static final String DEV_LABEL = "orchestry.io/dev";
    static final String REGION = "local";

    /** A node dev mode registers. */
    record Offer(String name, DriverKind kind, String endpoint, long cpuMillis, long memoryBytes) {
        String describe() {
            return String.format(Locale.ROOT, "%-8s %-8s %-30s %d millis, %.1f GiB", name,
                    kind.name().substring("DRIVER_KIND_".length()).toLowerCase(Locale.ROOT), endpoint,
                    cpuMillis, memoryBytes / (1024.0 * 1024 * 1024));
        }
    }

    /** A node and what became of its registration. */
    record Registration(Offer offer, String outcome) {
    }

    private LocalNodes() {
    }

    /** The nodes of this machine: {@code local} always, {@code docker} when the engine answered. */
    static List<Offer> offers(Optional<DockerEngine.Info> docker) {
        List<Offer> offers = new ArrayList<>();
        offers.add(new Offer("local", DriverKind.DRIVER_KIND_PROCESS, "local",
                Runtime.getRuntime().availableProcessors() * 1000L, totalMemory()));
        docker.ifPresent(info -> offers.add(new Offer("docker", DriverKind.DRIVER_KIND_DOCKER, DockerEngine.ENDPOINT,
                info.cpus() * 1000L, info.memoryBytes())));
        return offers;
    }

    private static long totalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }

    static RegisterNodeRequest request(Offer offer) {
        return RegisterNodeRequest.newBuilder()
                .setName(offer.name())
                .setDriverKind(offer.kind())
                .setEndpoint(offer.endpoint())
                .setRegion(REGION)
                .putAllLabels(Map.of(DEV_LABEL, "true"))
                .setCapacity(Resources.newBuilder().setCpuMillis(offer.cpuMillis()).setMemoryBytes(offer.memoryBytes()))
                .build();
    }

    /** Registers each node with the registry on 127.0.0.1:{@code grpcPort}; a failure is reported, not thrown. */
    static List<Registration> register(int grpcPort, List<Offer> offers) {
        @SuppressWarnings("AddressSelection") // the registry of dev mode listens on 127.0.0.1 only
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            List<Registration> registrations = new ArrayList<>();
            for (Offer offer : offers) {
                registrations.add(new Registration(offer, register(channel, offer)));
            }
            return registrations;
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String register(ManagedChannel channel, Offer offer) {
        try {
            RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS).registerNode(request(offer));
            return "registered";
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return "already registered";
            }
            return "NOT registered: " + e.getStatus().getCode() + " " + e.getStatus().getDescription();
        }
    }
}
