package io.orchestry.provisioner.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;
import io.orchestry.registry.v1.CreateOrganizationRequest;
import io.orchestry.registry.v1.CordonNodeRequest;
import io.orchestry.registry.v1.CreateProjectRequest;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.Resources;
import io.orchestry.registry.v1.RegistryServiceGrpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real registry-service, started once per test JVM as a child process against the shared embedded PostgreSQL (its own
 * schema in the test's database), and stopped (SIGTERM, then SIGKILL after the grace) when the JVM exits.
 */
final class RunningRegistry {
    private static RunningRegistry instance;

    final ServiceProcess process;
    private final ManagedChannel channel;

    private RunningRegistry(ServiceProcess process) {
        this.process = process;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", process.grpcPort()).usePlaintext().build();
    }

    /** @param datasource the test's database (the registry keeps to its own schema there) */
    static synchronized RunningRegistry get(Map<String, String> datasource) {
        if (instance == null) {
            Path root = Path.of(System.getProperty("orchestry.root", "..")).toAbsolutePath().normalize();
            int offset = PortOffsets.findFree(ServiceKind.REGISTRY);
            ServiceProcess registry = ServiceProcess.start(ServiceKind.REGISTRY, root, offset, Map.of(
                            "DATASOURCES_DEFAULT_URL", datasource.get("datasources.default.url"),
                            "DATASOURCES_DEFAULT_USERNAME", datasource.get("datasources.default.username"),
                            "DATASOURCES_DEFAULT_PASSWORD", datasource.get("datasources.default.password"),
                            "ORCHESTRY_REGISTRY_CREDENTIALS_KEY", randomKey()),
                    List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    line -> System.out.println("[registry] " + line));
            RunningRegistry running = new RunningRegistry(registry);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.channel.shutdownNow();
                registry.close();
            }, "registry-stop"));
            registry.awaitReady(Duration.ofSeconds(60));
            instance = running;
        }
        return instance;
    }

    String target() {
        return "127.0.0.1:" + process.grpcPort();
    }

    /** Makes an organization and a project in it (the project's name, for both). */
    void project(String name) {
        var stub = RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        stub.createOrganization(CreateOrganizationRequest.newBuilder().setName(name + "-org").build());
        RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .createProject(CreateProjectRequest.newBuilder().setName(name).setOrganization(name + "-org").build());
    }

    /** The holds the registry has on a project. */
    List<String> holds(String project) {
        return RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getProject(io.orchestry.registry.v1.GetProjectRequest.newBuilder().setName(project).build())
                .getProject().getHoldsList();
    }

    /**
     * Registers the component tests' fleet, 4 CPUs / 8 GiB each, on which nothing ever runs: a process node on this
     * machine, cordoned, and a docker node at an address where no engine answers (it goes DOWN; the real engine and
     * whatever other tests run on it are never touched; in tests the loops are off anyway). With the fleet watch
     * started, apps pass the API's placement check by these nodes; none is ever placed.
     */
    void idleNodes(String processNode, String dockerNode) {
        register(processNode, io.orchestry.registry.v1.DriverKind.DRIVER_KIND_PROCESS, "local");
        RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .cordonNode(CordonNodeRequest.newBuilder().setName(processNode).build());
        register(dockerNode, io.orchestry.registry.v1.DriverKind.DRIVER_KIND_DOCKER, "tcp://127.0.0.1:9");
    }

    private void register(String name, io.orchestry.registry.v1.DriverKind kind, String endpoint) {
        RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .registerNode(RegisterNodeRequest.newBuilder().setName(name).setDriverKind(kind).setEndpoint(endpoint)
                        .setRegion("local").setCapacity(Resources.newBuilder().setCpuMillis(4000)
                                .setMemoryBytes(8L << 30)).build());
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
