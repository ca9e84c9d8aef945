package io.orchestry.registry.grpc;

import io.orchestry.names.LabelSelector;
import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.controlloop.SettableClock;
import io.orchestry.registry.domain.HealthMonitor;
import io.orchestry.registry.domain.HeartbeatService;
import io.orchestry.registry.domain.NodeChangeFeed;
import io.orchestry.registry.domain.SchedulingModes;
import io.orchestry.registry.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's life over gRPC against PostgreSQL: heartbeats, the monitor's transitions (driven by a
 * clock the test moves, not by sleeping), modes, updates, deregistration, watches, events, stats.
 * The scheduled loops are set to an hour so that only the test moves things.
 */
@MicronautTest(transactional = false)
class NodeLifecycleTest extends RegistryServiceTest {
    private static final long GIB = 1L << 30;

    @Inject
    SettableClock clock;
    @Inject
    HealthMonitor monitor;
    @Inject
    HeartbeatService heartbeats;
    @Inject
    NodeChangeFeed feed;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("orchestry.test.settable-clock", "true");
        // the tests run the monitor and the flush themselves; the loops run on the settable clock,
        // which one test moves by an hour, so their own ticks must never come due during the class
        properties.put("orchestry.registry.monitor-interval", "PT87600H");
        properties.put("orchestry.registry.flush-interval", "PT87600H");
        return properties;
    }

    private Node register(String name, Map<String, String> labels) {
        return registry().registerNode(RegisterNodeRequest.newBuilder().setName(name)
                .setDriverKind(DriverKind.DRIVER_KIND_DOCKER).setEndpoint("unix:///var/run/docker.sock")
                .putAllLabels(labels)
                .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(8 * GIB)).build()).getNode();
    }

    private NodeStatus status(String name) {
        return registry().getNode(GetNodeRequest.newBuilder().setName(name).build()).getNode().getStatus();
    }

    private SendHeartbeatResponse beat(String name) {
        return registry().sendHeartbeat(SendHeartbeatRequest.newBuilder().setNodeName(name)
                .setUsage(NodeUsage.newBuilder().setCpuMillis(1500).setMemoryBytes(GIB).setRunningWorkloads(3)).build());
    }

    @Test
    void heartbeat_makesReady_silenceMakesSuspectThenDown_andTheNextHeartbeatReadyAgain() {
        register("life-1", Map.of());
        assertEquals(NodeStatus.NODE_STATUS_PENDING, status("life-1"));

        SendHeartbeatResponse ack = beat("life-1");
        assertEquals(NodeStatus.NODE_STATUS_READY, ack.getStatus());
        assertEquals(3, ack.getPolicy().getHeartbeatInterval().getSeconds());
        assertEquals(NodeStatus.NODE_STATUS_READY, status("life-1"));

        clock.advance(Duration.ofSeconds(8));
        monitor.tick();
        assertEquals(NodeStatus.NODE_STATUS_READY, status("life-1"));
        clock.advance(Duration.ofSeconds(1));
        monitor.tick();
        assertEquals(NodeStatus.NODE_STATUS_SUSPECT, status("life-1"));
        clock.advance(Duration.ofSeconds(6));
        monitor.tick();
        assertEquals(NodeStatus.NODE_STATUS_DOWN, status("life-1"), "DOWN within 15 s of the last heartbeat");

        assertEquals(NodeStatus.NODE_STATUS_READY, beat("life-1").getStatus());
        assertEquals(NodeStatus.NODE_STATUS_READY, status("life-1"));

        List<String> transitions = registry().listNodeEvents(ListNodeEventsRequest.newBuilder().setNodeName("life-1").build())
                .getEventsList().stream().map(e -> e.getPreviousStatus() + ">" + e.getStatus()).toList();
        assertEquals(List.of(
                "NODE_STATUS_DOWN>NODE_STATUS_READY",
                "NODE_STATUS_SUSPECT>NODE_STATUS_DOWN",
                "NODE_STATUS_READY>NODE_STATUS_SUSPECT",
                "NODE_STATUS_PENDING>NODE_STATUS_READY",
                "NODE_STATUS_UNSPECIFIED>NODE_STATUS_PENDING"), transitions);
    }

    @Test
    void silentFleet_goesDownInOneTick_withAnEventEach_andComesBackWithItsHeartbeats() throws Exception {
        for (int i = 0; i < 40; i++) {
            register("mass-" + i, Map.of("pool", "mass"));
            beat("mass-" + i);
        }
        clock.advance(Duration.ofSeconds(20));
        assertTrue(monitor.tick().stream().filter(n -> n.name().startsWith("mass-")).count() == 40);
        assertEquals(40, registry().listNodes(ListNodesRequest.newBuilder().setLabelSelector("pool=mass")
                .addStatuses(NodeStatus.NODE_STATUS_DOWN).build()).getNodesCount());
        try (Connection connection = database().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM registry.node_event WHERE node_name LIKE 'mass-%' AND status = 'DOWN'")) {
            assertTrue(rows.next());
            assertEquals(40, rows.getInt(1));
        }
        for (int i = 0; i < 40; i++) {
            assertEquals(NodeStatus.NODE_STATUS_READY, beat("mass-" + i).getStatus());
        }
    }

    @Test
    void heartbeats_areFlushedInOneBatch_withTheirUsage() throws Exception {
        register("flush-1", Map.of());
        register("flush-2", Map.of());
        beat("flush-1");
        beat("flush-2");
        beat("flush-2");
        assertTrue(heartbeats.flush() >= 2);
        try (Connection connection = database().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT name, last_heartbeat_at, usage_cpu_millis, usage_workloads FROM registry.node"
                             + " WHERE name LIKE 'flush-%' ORDER BY name")) {
            for (String name : List.of("flush-1", "flush-2")) {
                assertTrue(rows.next());
                assertEquals(name, rows.getString(1));
                assertNotNull(rows.getTimestamp(2), "last heartbeat written");
                assertEquals(1500, rows.getLong(3));
                assertEquals(3, rows.getInt(4));
            }
        }
        assertEquals(0, heartbeats.flush(), "nothing new to write");
    }

    @Test
    void restart_treatsEveryNodeAsHeardAtStartUp_soNobodyIsDownAtOnce() throws Exception {
        register("restart-1", Map.of());
        beat("restart-1");
        try (Connection connection = database().getConnection()) {
            connection.createStatement().executeUpdate(
                    "UPDATE registry.node SET last_heartbeat_at = now() - interval '1 day' WHERE name = 'restart-1'");
        }
        // as after a restart: the fleet is loaded again from the database
        feed.load();
        monitor.tick();
        assertEquals(NodeStatus.NODE_STATUS_READY, status("restart-1"));
    }

    @Test
    void independentNode_isNeverDown_andGetsNoPlacements() {
        register("indep-1", Map.of());
        beat("indep-1");
        Node node = registry().setNodeIndependence(SetNodeIndependenceRequest.newBuilder().setName("indep-1")
                .setIndependent(true).build()).getNode();
        assertEquals(NodeStatus.NODE_STATUS_INDEPENDENT, node.getStatus());
        assertTrue(registry().getNodeIndependence(GetNodeIndependenceRequest.newBuilder().setName("indep-1").build()).getIndependent());
        clock.advance(Duration.ofHours(1));
        monitor.tick();
        assertEquals(NodeStatus.NODE_STATUS_INDEPENDENT, status("indep-1"));
        assertEquals(NodeStatus.NODE_STATUS_INDEPENDENT, beat("indep-1").getStatus(), "a heartbeat does not end independence");

        Node back = registry().setNodeIndependence(SetNodeIndependenceRequest.newBuilder().setName("indep-1")
                .setIndependent(false).build()).getNode();
        assertEquals(NodeStatus.NODE_STATUS_PENDING, back.getStatus());
        assertEquals(NodeStatus.NODE_STATUS_READY, beat("indep-1").getStatus());
    }

    @Test
    void cordonDrainUncordon_changeTheSchedulingMode() {
        register("mode-1", Map.of());
        assertEquals(SchedulingMode.SCHEDULING_MODE_CORDONED,
                registry().cordonNode(CordonNodeRequest.newBuilder().setName("mode-1").build()).getNode().getSchedulingMode());
        Node draining = registry().drainNode(DrainNodeRequest.newBuilder().setName("mode-1").build()).getNode();
        assertEquals(SchedulingMode.SCHEDULING_MODE_DRAINING, draining.getSchedulingMode());
        assertEquals(clock.instant().plus(SchedulingModes.DEFAULT_DRAIN_TIMEOUT).getEpochSecond(), draining.getDrainDeadline().getSeconds());
        assertEquals(SchedulingMode.SCHEDULING_MODE_DRAINING, beat("mode-1").getSchedulingMode(), "the agent hears it");
        Node back = registry().uncordonNode(UncordonNodeRequest.newBuilder().setName("mode-1").build()).getNode();
        assertEquals(SchedulingMode.SCHEDULING_MODE_SCHEDULABLE, back.getSchedulingMode());
        assertFalse(back.hasDrainDeadline());

        StatusRuntimeException past = assertThrows(StatusRuntimeException.class, () -> registry().drainNode(DrainNodeRequest
                .newBuilder().setName("mode-1").setDeadline(ProtoTime.toTimestamp(clock.instant().minusSeconds(1))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, past.getStatus().getCode());
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> registry().cordonNode(CordonNodeRequest.newBuilder().setName("no-such-node").build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    }

    @Test
    void update_withCurrentVersion_changesOnlyTheNamedFields_staleVersionIsAborted() {
        Node node = register("upd-1", Map.of("disk", "hdd"));
        Node updated = registry().updateNode(UpdateNodeRequest.newBuilder().setName("upd-1").setVersion(node.getVersion())
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels").addPaths("capacity"))
                .putLabels("disk", "ssd")
                .setCapacity(Resources.newBuilder().setCpuMillis(8000).setMemoryBytes(16 * GIB))
                .setRegion("ignored-because-not-in-mask")
                .build()).getNode();
        assertEquals(Map.of("disk", "ssd"), updated.getLabelsMap());
        assertEquals(8000, updated.getCapacity().getCpuMillis());
        assertEquals("", updated.getRegion());
        assertTrue(updated.getVersion() > node.getVersion());

        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> registry().updateNode(
                UpdateNodeRequest.newBuilder().setName("upd-1").setVersion(node.getVersion())
                        .setUpdateMask(FieldMask.newBuilder().addPaths("region")).setRegion("eu").build()));
        assertEquals(Status.Code.ABORTED, stale.getStatus().getCode());

        StatusRuntimeException badPath = assertThrows(StatusRuntimeException.class, () -> registry().updateNode(
                UpdateNodeRequest.newBuilder().setName("upd-1").setVersion(updated.getVersion())
                        .setUpdateMask(FieldMask.newBuilder().addPaths("status")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badPath.getStatus().getCode());

        StatusRuntimeException negative = assertThrows(StatusRuntimeException.class, () -> registry().updateNode(
                UpdateNodeRequest.newBuilder().setName("upd-1").setVersion(updated.getVersion())
                        .setUpdateMask(FieldMask.newBuilder().addPaths("capacity"))
                        .setCapacity(Resources.newBuilder().setCpuMillis(-5).setMemoryBytes(GIB)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, negative.getStatus().getCode());
    }

    @Test
    void deregister_isRefusedWhileWorkloadsRun_unlessForced() {
        register("dereg-1", Map.of());
        registry().reportNodeAllocation(ReportNodeAllocationRequest.newBuilder().setName("dereg-1").setWorkloads(2)
                .setAllocated(Resources.newBuilder().setCpuMillis(500).setMemoryBytes(GIB)).build());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> registry().deregisterNode(DeregisterNodeRequest.newBuilder().setName("dereg-1").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        registry().deregisterNode(DeregisterNodeRequest.newBuilder().setName("dereg-1").setForce(true).build());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                () -> registry().getNode(GetNodeRequest.newBuilder().setName("dereg-1").build()));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
        StatusRuntimeException noBeat = assertThrows(StatusRuntimeException.class, () -> beat("dereg-1"));
        assertEquals(Status.Code.NOT_FOUND, noBeat.getStatus().getCode());
    }

    @Test
    void credentials_areStoredEncrypted_andNeverReturned() throws Exception {
        byte[] secret = "token-very-secret".getBytes(StandardCharsets.UTF_8);
        Node node = registry().registerNode(RegisterNodeRequest.newBuilder().setName("cred-1")
                .setDriverKind(DriverKind.DRIVER_KIND_KUBERNETES).setEndpoint("prod-cluster/orchestry")
                .setCapacity(Resources.newBuilder().setCpuMillis(1000).setMemoryBytes(GIB))
                .setCredentials(NodeCredentials.newBuilder().setBearerToken("token-very-secret")).build()).getNode();
        assertTrue(node.getHasCredentials());
        assertFalse(node.toString().contains("very-secret"));
        try (Connection connection = database().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT credentials FROM registry.node WHERE name = 'cred-1'")) {
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                byte[] stored = row.getBytes(1);
                assertNotNull(stored);
                assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains("very-secret"));
                assertFalse(java.util.Arrays.equals(secret, stored));
            }
        }
    }

    @Test
    void listNodes_filtersByLabelSelector() {
        register("sel-a", Map.of("pool", "sel", "disk", "ssd"));
        register("sel-b", Map.of("pool", "sel", "disk", "hdd"));
        register("sel-c", Map.of("pool", "sel"));
        assertEquals(List.of("sel-a"), names("pool=sel,disk=ssd"));
        assertEquals(List.of("sel-b", "sel-c"), names("pool=sel,disk!=ssd"));
        assertEquals(List.of("sel-c"), names("pool=sel,!disk"));
        assertEquals(List.of("sel-a", "sel-b"), names("pool=sel,disk"));
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> names("pool in (a)"));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    }

    private List<String> names(String selector) {
        return registry().listNodes(ListNodesRequest.newBuilder().setLabelSelector(selector).build())
                .getNodesList().stream().map(Node::getName).toList();
    }

    @Test
    void stats_countEveryStatus_andSumCapacity() {
        register("stats-1", Map.of());
        GetNodeStatsResponse stats = registry().getNodeStats(GetNodeStatsRequest.getDefaultInstance());
        assertEquals(NodeStatus.values().length - 2, stats.getCountsCount(), "every status but UNSPECIFIED and UNRECOGNIZED");
        assertEquals(stats.getTotal(), stats.getCountsList().stream().mapToInt(NodeStatusCount::getCount).sum());
        assertTrue(stats.getCapacity().getCpuMillis() >= 4000);
    }

    @Test
    void watch_afterList_seesEveryLaterChange_inOrder_andReplaysFromAResourceVersion() throws Exception {
        long listedAt = registry().listNodes(ListNodesRequest.getDefaultInstance()).getResourceVersion();
        Iterator<WatchNodesResponse> watch = RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .watchNodes(WatchNodesRequest.newBuilder().setResourceVersion(listedAt).build());

        CompletableFuture<List<WatchNodesResponse>> seen = CompletableFuture.supplyAsync(() -> {
            List<WatchNodesResponse> events = new ArrayList<>();
            while (events.size() < 3) {
                WatchNodesResponse event = watch.next();
                if (event.getNode().getName().equals("watch-1")) {
                    events.add(event);
                }
            }
            return events;
        });
        register("watch-1", Map.of());
        registry().cordonNode(CordonNodeRequest.newBuilder().setName("watch-1").build());
        registry().deregisterNode(DeregisterNodeRequest.newBuilder().setName("watch-1").build());

        List<WatchNodesResponse> events = seen.get(20, TimeUnit.SECONDS);
        assertEquals(List.of(WatchEventType.WATCH_EVENT_TYPE_ADDED, WatchEventType.WATCH_EVENT_TYPE_MODIFIED,
                WatchEventType.WATCH_EVENT_TYPE_DELETED), events.stream().map(WatchNodesResponse::getType).toList());
        assertTrue(events.get(0).getResourceVersion() < events.get(1).getResourceVersion()
                && events.get(1).getResourceVersion() < events.get(2).getResourceVersion());

        // a watcher that reconnects from the first event's version gets the rest again
        Iterator<WatchNodesResponse> replay = RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .watchNodes(WatchNodesRequest.newBuilder().setResourceVersion(events.get(0).getResourceVersion()).build());
        List<Long> replayed = new ArrayList<>();
        while (replayed.size() < 2) {
            WatchNodesResponse event = replay.next();
            if (event.getNode().getName().equals("watch-1")) {
                replayed.add(event.getResourceVersion());
            }
        }
        assertEquals(List.of(events.get(1).getResourceVersion(), events.get(2).getResourceVersion()), replayed);
    }

    @Test
    void streamedHeartbeats_areAcknowledgedWithTheirCount_andAnUnknownNodeEndsTheStream() throws Exception {
        register("stream-1", Map.of());
        CompletableFuture<StreamHeartbeatsResponse> done = new CompletableFuture<>();
        StreamObserver<StreamHeartbeatsRequest> agent = RegistryServiceGrpc.newStub(channel)
                .streamHeartbeats(observer(done));
        for (int i = 0; i < 50; i++) {
            agent.onNext(StreamHeartbeatsRequest.newBuilder().setNodeName("stream-1").build());
        }
        agent.onCompleted();
        assertEquals(50, done.get(10, TimeUnit.SECONDS).getAccepted());
        assertEquals(NodeStatus.NODE_STATUS_READY, status("stream-1"));

        CompletableFuture<StreamHeartbeatsResponse> failed = new CompletableFuture<>();
        StreamObserver<StreamHeartbeatsRequest> stranger = RegistryServiceGrpc.newStub(channel).streamHeartbeats(observer(failed));
        stranger.onNext(StreamHeartbeatsRequest.newBuilder().setNodeName("nobody-here").build());
        stranger.onCompleted();
        Exception e = assertThrows(Exception.class, () -> failed.get(10, TimeUnit.SECONDS));
        assertEquals(Status.Code.NOT_FOUND, Status.fromThrowable(e.getCause()).getCode());
    }

    private static StreamObserver<StreamHeartbeatsResponse> observer(CompletableFuture<StreamHeartbeatsResponse> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(StreamHeartbeatsResponse value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
