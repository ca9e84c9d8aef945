package io.orchestry.provisioner.fleet;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.controlloop.Controller;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.fakes.FakeAppRepository;
import io.orchestry.provisioner.fakes.FakeDriverFactory;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.NodeStatus;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.orchestry.provisioner.fakes.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real registry-service (a child process on the shared embedded PostgreSQL, its monitor's intervals shortened) and the
 * fleet side of a provisioner built from its parts: a registered process node turns READY through the node agent's
 * heartbeats alone, gets its allocation reported, and goes SUSPECT, then DOWN, once its fingerprint fails.
 */
class NodeAgentIT {
    private static ServiceProcess registry;
    private static ManagedChannel channel;

    @BeforeAll
    static void startRegistry() {
        Map<String, String> datasource = EmbeddedDatabase.shared().datasourceProperties("provisioner_node_agent_it");
        Path root = Path.of(System.getProperty("orchestry.root", "..")).toAbsolutePath().normalize();
        registry = ServiceProcess.start(ServiceKind.REGISTRY, root, PortOffsets.findFree(ServiceKind.REGISTRY), Map.of(
                        "DATASOURCES_DEFAULT_URL", datasource.get("datasources.default.url"),
                        "DATASOURCES_DEFAULT_USERNAME", datasource.get("datasources.default.username"),
                        "DATASOURCES_DEFAULT_PASSWORD", datasource.get("datasources.default.password"),
                        "ORCHESTRY_REGISTRY_HEARTBEAT_INTERVAL", "300ms",
                        "ORCHESTRY_REGISTRY_SUSPECT_AFTER", "1s",
                        "ORCHESTRY_REGISTRY_DOWN_AFTER", "2s",
                        "ORCHESTRY_REGISTRY_MONITOR_INTERVAL", "100ms",
                        "ORCHESTRY_REGISTRY_FLUSH_INTERVAL", "200ms",
                        "ORCHESTRY_REGISTRY_FEED_INTERVAL", "100ms",
                        "ORCHESTRY_REGISTRY_CREDENTIALS_KEY", randomKey()),
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                line -> System.out.println("[registry] " + line));
        registry.awaitReady(Duration.ofSeconds(60));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", registry.grpcPort()).usePlaintext().build();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void registeredProcessNode_readyThroughHeartbeats_suspectThenDownWhenFingerprintFails() {
        RegistryServiceGrpc.RegistryServiceBlockingStub stub = RegistryServiceGrpc.newBlockingStub(channel);
        stub.withDeadlineAfter(5, TimeUnit.SECONDS).registerNode(RegisterNodeRequest.newBuilder()
                .setName("agent-it").setDriverKind(io.orchestry.registry.v1.DriverKind.DRIVER_KIND_PROCESS)
                .setEndpoint("local").setRegion("local")
                .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(8192 * MIB))
                .build());

        FakeDriverFactory processes = new FakeDriverFactory(DriverKind.PROCESS, Clock.systemUTC());
        Drivers drivers = new Drivers(List.of(processes));
        FleetConfig config = new FleetConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3), 2);
        FakeAppRepository apps = new FakeAppRepository();
        FakeInstanceRepository instances = new FakeInstanceRepository();
        apps.put(Fixtures.app("web", Fixtures.spec()), Fixtures.revision("web", Fixtures.spec()));
        instances.insert(Fixtures.instance("web", 1, "agent-it"));
        List<FleetNode.Status> seen = new CopyOnWriteArrayList<>();
        ExecutorService pool = NodeThreads.pool("it-fingerprint", 2);
        try (FleetWatch fleet = new FleetWatch(channel, drivers, config, Clock.systemUTC())) {
            fleet.addListener(name -> fleet.node(name).ifPresent(node -> seen.add(node.status())));
            fleet.start();
            await("the fleet lists the node", () -> fleet.node("agent-it").isPresent());
            assertEquals(FleetNode.Status.PENDING, fleet.node("agent-it").orElseThrow().status());

            NodeAgent agent = new NodeAgent(fleet, drivers, instances, apps, new GrpcNodeReporter(channel, config),
                    new NodeFanout(pool), config);
            Controller<String> loop = FleetLoops.agentLoop(agent, Clock.systemUTC(), null);
            loop.start();
            try {
                await("READY through heartbeats", () -> node(stub).getStatus() == NodeStatus.NODE_STATUS_READY);
                await("the fleet watch sees READY", () -> fleet.node("agent-it")
                        .map(n -> n.status() == FleetNode.Status.READY).orElse(false));
                // the registry turns the node READY when a heartbeat arrives, before the agent reads the reply
                await("the registry's interval is followed", () -> agent.interval().equals(Duration.ofMillis(300)));
                await("the allocation reported", () -> node(stub).getAllocated().getMemoryBytes() == 128 * MIB);
                assertEquals(100, node(stub).getAllocated().getCpuMillis());

                processes.driver("agent-it").unreachable(true);
                await("SUSPECT without heartbeats", () -> seen.contains(FleetNode.Status.SUSPECT));
                await("then DOWN", () -> node(stub).getStatus() == NodeStatus.NODE_STATUS_DOWN);
                // the registry answers DOWN before its watch has carried the change to the fleet
                await("the fleet watch sees DOWN", () -> seen.contains(FleetNode.Status.DOWN));
                assertEquals(List.of(FleetNode.Status.PENDING, FleetNode.Status.READY, FleetNode.Status.SUSPECT,
                        FleetNode.Status.DOWN), seen.stream().distinct().toList());

                processes.driver("agent-it").unreachable(false);
                await("READY again once it answers", () -> node(stub).getStatus() == NodeStatus.NODE_STATUS_READY);
            } finally {
                loop.stop();
            }
        } finally {
            pool.shutdownNow();
            drivers.close();
        }
        assertTrue(processes.driver("agent-it").calls("fingerprint").size() > 3);
    }

    private static Node node(RegistryServiceGrpc.RegistryServiceBlockingStub stub) {
        return stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                .getNode(GetNodeRequest.newBuilder().setName("agent-it").build()).getNode();
    }

    /** Polls (bounded) for an outcome the registry reaches on its own time. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
