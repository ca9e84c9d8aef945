package io.orchestry.registry.replicas;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;
import io.orchestry.registry.v1.*;
import io.orchestry.system.v1.GetSystemInfoRequest;
import io.orchestry.system.v1.SystemServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two registry processes on one PostgreSQL, started as the gateway's tests start one (service-launcher),
 * with short heartbeat TTLs and loop intervals. Replica A is the leader (it runs the health monitor),
 * B a follower. Time here is the processes' own wall clock, so the test paces heartbeats like an agent
 * and waits for outcomes with bounded polls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasTest {
    private static final long GIB = 1L << 30;
    /** The agent's pace: the heartbeat interval the replicas announce. */
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final Duration SUSPECT_AFTER = Duration.ofMillis(1500);

    private Map<String, String> datasource;
    private ServiceProcess a;
    private ServiceProcess b;
    private ManagedChannel toA;
    private ManagedChannel toB;

    @BeforeAll
    void startTwoReplicas() {
        datasource = EmbeddedDatabase.shared().datasourceProperties("registry_two_replicas");
        a = start("a", -1);
        toA = channel(a);
        await("replica A leads", Duration.ofSeconds(30), () -> leads(toA));
        b = start("b", a.grpcPort());
        toB = channel(b);
        assertTrue(!leads(toB), "replica B follows");
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (ManagedChannel channel : new ManagedChannel[] {toA, toB}) {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void heartbeatsOnlyToTheFollower_keepTheNodeReady_andSilenceMakesItDownExactlyOnce() throws Exception {
        register(toA, "twin-hb");
        assertEquals(NodeStatus.NODE_STATUS_READY, beat(toB, "twin-hb").getStatus());
        // an agent that talks only to B, for four times as long as A's monitor waits before SUSPECT
        long beats = 4 * SUSPECT_AFTER.toMillis() / BEAT.toMillis();
        for (int i = 0; i < beats; i++) {
            assertEquals(NodeStatus.NODE_STATUS_READY, beat(toB, "twin-hb").getStatus(), "beat " + i);
            TimeUnit.MILLISECONDS.sleep(BEAT.toMillis()); // the agent's pace, not a wait for an outcome
        }
        assertEquals(NodeStatus.NODE_STATUS_READY, node(toA, "twin-hb").getStatus(), "A's monitor read B's heartbeats");
        assertEquals(0, events("twin-hb", "SUSPECT"), "never SUSPECT while B heard from it");

        // the agent stops
        await("twin-hb DOWN", Duration.ofSeconds(20), () -> node(toA, "twin-hb").getStatus() == NodeStatus.NODE_STATUS_DOWN);
        await("B follows", Duration.ofSeconds(10), () -> node(toB, "twin-hb").getStatus() == NodeStatus.NODE_STATUS_DOWN);
        assertEquals(1, events("twin-hb", "SUSPECT"));
        assertEquals(1, events("twin-hb", "DOWN"), "one DOWN event, not one per replica");
        assertEquals(NodeStatus.NODE_STATUS_READY, beat(toB, "twin-hb").getStatus(), "back with its next heartbeat");
        assertEquals(1, events("twin-hb", "DOWN"));
    }

    @Test
    void aWatcherOnTheFollower_seesEveryChangeMadeThroughTheLeader_inOrder() throws Exception {
        long listedAt = registry(toB).listNodes(ListNodesRequest.getDefaultInstance()).getResourceVersion();
        Iterator<WatchNodesResponse> watch = RegistryServiceGrpc.newBlockingStub(toB).withDeadlineAfter(30, TimeUnit.SECONDS)
                .watchNodes(WatchNodesRequest.newBuilder().setResourceVersion(listedAt).build());
        CompletableFuture<List<WatchNodesResponse>> seen = CompletableFuture.supplyAsync(() -> {
            List<WatchNodesResponse> events = new ArrayList<>();
            while (events.size() < 4) {
                WatchNodesResponse event = watch.next();
                if (event.getNode().getName().equals("twin-watch")) {
                    events.add(event);
                }
            }
            return events;
        });
        register(toA, "twin-watch");
        registry(toA).cordonNode(CordonNodeRequest.newBuilder().setName("twin-watch").build());
        registry(toA).uncordonNode(UncordonNodeRequest.newBuilder().setName("twin-watch").build());
        registry(toA).deregisterNode(DeregisterNodeRequest.newBuilder().setName("twin-watch").build());

        List<WatchNodesResponse> events = seen.get(20, TimeUnit.SECONDS);
        assertEquals(List.of(WatchEventType.WATCH_EVENT_TYPE_ADDED, WatchEventType.WATCH_EVENT_TYPE_MODIFIED,
                WatchEventType.WATCH_EVENT_TYPE_MODIFIED, WatchEventType.WATCH_EVENT_TYPE_DELETED),
                events.stream().map(WatchNodesResponse::getType).toList());
        assertEquals(List.of(SchedulingMode.SCHEDULING_MODE_SCHEDULABLE, SchedulingMode.SCHEDULING_MODE_CORDONED,
                SchedulingMode.SCHEDULING_MODE_SCHEDULABLE, SchedulingMode.SCHEDULING_MODE_SCHEDULABLE),
                events.stream().map(e -> e.getNode().getSchedulingMode()).toList());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).getResourceVersion() < events.get(i).getResourceVersion(), "in resource-version order");
        }
    }

    @Test
    void aCordonMadeThroughTheLeader_isInTheFollowersHeartbeatAnswer() {
        register(toA, "twin-mode");
        registry(toA).cordonNode(CordonNodeRequest.newBuilder().setName("twin-mode").build());
        await("B answers CORDONED", Duration.ofSeconds(10),
                () -> beat(toB, "twin-mode").getSchedulingMode() == SchedulingMode.SCHEDULING_MODE_CORDONED);
    }

    private ServiceProcess start(String name, int otherGrpcPort) {
        int offset;
        do {
            offset = PortOffsets.findFree(ServiceKind.REGISTRY);
        } while (ServiceKind.REGISTRY.grpcPort(offset) == otherGrpcPort);
        Map<String, String> env = new HashMap<>();
        env.put("DATASOURCES_DEFAULT_URL", datasource.get("datasources.default.url"));
        env.put("DATASOURCES_DEFAULT_USERNAME", datasource.get("datasources.default.username"));
        env.put("DATASOURCES_DEFAULT_PASSWORD", datasource.get("datasources.default.password"));
        env.put("ORCHESTRY_REGISTRY_CREDENTIALS_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        env.put("ORCHESTRY_REGISTRY_HEARTBEAT_INTERVAL", BEAT.toMillis() + "ms");
        env.put("ORCHESTRY_REGISTRY_SUSPECT_AFTER", SUSPECT_AFTER.toMillis() + "ms");
        env.put("ORCHESTRY_REGISTRY_DOWN_AFTER", "2500ms");
        env.put("ORCHESTRY_REGISTRY_MONITOR_INTERVAL", "100ms");
        env.put("ORCHESTRY_REGISTRY_FLUSH_INTERVAL", "100ms");
        env.put("ORCHESTRY_REGISTRY_FEED_INTERVAL", "100ms");
        env.put("ORCHESTRY_ELECTION_INTERVAL", "500ms");
        Path root = Path.of(System.getProperty("orchestry.root", "..")).toAbsolutePath().normalize();
        ServiceProcess process = ServiceProcess.start(ServiceKind.REGISTRY, root, offset, env,
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"),
                line -> System.out.println("[registry-" + name + "] " + line));
        try {
            process.awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    private static ManagedChannel channel(ServiceProcess process) {
        return NettyChannelBuilder.forAddress("127.0.0.1", process.grpcPort()).usePlaintext().build();
    }

    private static boolean leads(ManagedChannel channel) {
        return SystemServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getLeadership().getLeader();
    }

    private static RegistryServiceGrpc.RegistryServiceBlockingStub registry(ManagedChannel channel) {
        return RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static void register(ManagedChannel channel, String name) {
        registry(channel).registerNode(RegisterNodeRequest.newBuilder().setName(name)
                .setDriverKind(DriverKind.DRIVER_KIND_DOCKER).setEndpoint("unix:///var/run/docker.sock")
                .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(8 * GIB)).build());
    }

    private static Node node(ManagedChannel channel, String name) {
        return registry(channel).getNode(GetNodeRequest.newBuilder().setName(name).build()).getNode();
    }

    private static SendHeartbeatResponse beat(ManagedChannel channel, String name) {
        return registry(channel).sendHeartbeat(SendHeartbeatRequest.newBuilder().setNodeName(name)
                .setUsage(NodeUsage.newBuilder().setCpuMillis(100).setMemoryBytes(GIB)).build());
    }

    /** How many events of the node reached PostgreSQL with this status. */
    private int events(String node, String status) throws Exception {
        try (Connection connection = DriverManager.getConnection(datasource.get("datasources.default.url"),
                datasource.get("datasources.default.username"), datasource.get("datasources.default.password"));
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM registry.node_event WHERE node_name = ? AND status = ? AND transition")) {
            query.setString(1, node);
            query.setString(2, status);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
