package io.orchestry.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.ListAppsRequest;
import io.orchestry.provisioner.v1.ListAppsResponse;
import io.orchestry.provisioner.v1.ListInstancesRequest;
import io.orchestry.provisioner.v1.ListInstancesResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.registry.v1.CreateOrganizationRequest;
import io.orchestry.registry.v1.CreateProjectRequest;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.NodeStatus;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.Resources;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry and provisioner gRPC contracts as the benchmarks call them: tenants, nodes, every app and instance
 * (all pages), and the provisioner reconcile loop's figures from its {@code /prometheus}. The provisioner channel
 * can be pointed at a new provisioner after a restart.
 */
final class ControlPlane implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ManagedChannel registry;
    private ManagedChannel provisioner;
    private int provisionerHttpPort;

    ControlPlane(int registryGrpcPort, int provisionerGrpcPort, int provisionerHttpPort) {
        this.registry = channel(registryGrpcPort);
        this.provisioner = channel(provisionerGrpcPort);
        this.provisionerHttpPort = provisionerHttpPort;
    }

    @SuppressWarnings("AddressSelection") // every service of a benchmark listens on 127.0.0.1 only
    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    /** Talks to a new provisioner from now on (after a restart at other ports). */
    synchronized void provisionerAt(int grpcPort, int httpPort) {
        provisioner.shutdownNow();
        provisioner = channel(grpcPort);
        provisionerHttpPort = httpPort;
    }

    RegistryServiceGrpc.RegistryServiceBlockingStub registry() {
        return RegistryServiceGrpc.newBlockingStub(registry).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    synchronized ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner() {
        return ProvisionerServiceGrpc.newBlockingStub(provisioner).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    synchronized ProvisionerServiceGrpc.ProvisionerServiceFutureStub provisionerAsync() {
        return ProvisionerServiceGrpc.newFutureStub(provisioner).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** An organization {@code bench} and the project, unless they exist (a kept database). */
    void ensureProject(String project) {
        ignoreExisting(() -> registry().createOrganization(CreateOrganizationRequest.newBuilder().setName("bench").build()));
        ignoreExisting(() -> registry().createProject(CreateProjectRequest.newBuilder().setName(project).setOrganization("bench").build()));
    }

    /** Registers a node as dev mode's LocalNodes does; its provisioner then heartbeats it READY. */
    void registerNode(String name, DriverKind kind, String endpoint, long cpuMillis, long memoryBytes) {
        registry().registerNode(RegisterNodeRequest.newBuilder().setName(name).setDriverKind(kind).setEndpoint(endpoint)
                .setRegion("local").setCapacity(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes)).build());
    }

    NodeStatus nodeStatus(String name) {
        return registry().getNode(GetNodeRequest.newBuilder().setName(name).build()).getNode().getStatus();
    }

    /** Polls every 50 ms until the node has {@code status}; the nanoTime it was first seen. */
    long awaitNode(String name, NodeStatus status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodeStatus(name) == status) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("node " + name + " not " + status + " within " + timeout + " (is " + nodeStatus(name) + ")");
    }

    List<Instance> instances(String project, String app) {
        List<Instance> all = new ArrayList<>();
        String token = "";
        do {
            ListInstancesResponse page = provisioner().listInstances(ListInstancesRequest.newBuilder().setProject(project)
                    .setApp(app).setPageSize(500).setPageToken(token).build());
            all.addAll(page.getInstancesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    List<App> apps(String project) {
        List<App> all = new ArrayList<>();
        String token = "";
        do {
            ListAppsResponse page = provisioner().listApps(ListAppsRequest.newBuilder().setProject(project)
                    .setPageSize(500).setPageToken(token).build());
            all.addAll(page.getAppsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    /** The provisioner's app reconcile loop: reconciles done since it started, summed seconds, keys due now. */
    record LoopFigures(long reconciles, double seconds, long depth) {
    }

    private static final Pattern COUNT = metric("orchestry_controller_reconcile_duration_seconds_count");
    private static final Pattern SUM = metric("orchestry_controller_reconcile_duration_seconds_sum");
    private static final Pattern DEPTH = metric("orchestry_controller_queue_depth");

    private static Pattern metric(String name) {
        return Pattern.compile("^" + name + "\\{[^}]*controller=\"provisioner-reconcile\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    }

    LoopFigures reconcileLoop() throws InterruptedException {
        int port;
        synchronized (this) {
            port = provisionerHttpPort;
        }
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new LoopFigures((long) value(COUNT, body), value(SUM, body), (long) value(DEPTH, body));
        } catch (java.io.IOException notYet) {
            return new LoopFigures(0, 0, -1);
        }
    }

    private static double value(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void ignoreExisting(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    @Override
    public synchronized void close() {
        registry.shutdownNow();
        provisioner.shutdownNow();
    }
}
