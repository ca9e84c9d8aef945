package io.orchestry.registry.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.NodeStatus;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.Resources;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry over a real gRPC channel on 127.0.0.1, against a real PostgreSQL. */
@MicronautTest(transactional = false)
class RegistryGrpcEndpointTest extends RegistryServiceTest {
    private static final long GIB = 1L << 30;

    private static RegisterNodeRequest.Builder validNode(String name) {
        return RegisterNodeRequest.newBuilder()
                .setName(name)
                .setDriverKind(DriverKind.DRIVER_KIND_DOCKER)
                .setEndpoint("unix:///var/run/docker.sock")
                .setRegion("eu-west")
                .setProvider("hetzner")
                .putLabels("disk", "ssd")
                .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(8 * GIB).setDiskBytes(100 * GIB))
                .setReserved(Resources.newBuilder().setCpuMillis(500).setMemoryBytes(GIB));
    }

    @Test
    void registerNode_thenGet_returnsItAsStored() throws Exception {
        Node registered = registry().registerNode(validNode("node-a").build()).getNode();
        assertEquals("node-a", registered.getName());
        assertEquals(NodeStatus.NODE_STATUS_PENDING, registered.getStatus());
        assertEquals(3500, registered.getAllocatable().getCpuMillis());
        assertEquals(7 * GIB, registered.getAllocatable().getMemoryBytes());
        assertTrue(registered.getVersion() > 0);

        Node fetched = registry().getNode(GetNodeRequest.newBuilder().setName("node-a").build()).getNode();
        assertEquals(registered, fetched);
        assertEquals(Map.of("disk", "ssd"), fetched.getLabelsMap());

        try (Connection connection = database().getConnection();
             ResultSet row = connection.createStatement().executeQuery(
                     "SELECT driver_kind, labels->>'disk', capacity_memory_bytes FROM registry.node WHERE name = 'node-a'")) {
            assertTrue(row.next(), "the node reached PostgreSQL");
            assertEquals("DOCKER", row.getString(1));
            assertEquals("ssd", row.getString(2));
            assertEquals(8 * GIB, row.getLong(3));
        }
    }

    @Test
    void processNode_withoutEndpoint_isLocal() {
        Node node = registry().registerNode(RegisterNodeRequest.newBuilder().setName("laptop")
                .setDriverKind(DriverKind.DRIVER_KIND_PROCESS)
                .setCapacity(Resources.newBuilder().setCpuMillis(2000).setMemoryBytes(GIB)).build()).getNode();
        assertEquals("local", node.getEndpoint());
    }

    @Test
    void registerNode_withManyBadFields_listsEveryField() throws InvalidProtocolBufferException {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> registry().registerNode(
                RegisterNodeRequest.newBuilder()
                        .setName("Bad_Name")
                        .setDriverKind(DriverKind.DRIVER_KIND_DOCKER)
                        .setEndpoint("http://example")
                        .putLabels("ok", "value with spaces")
                        .setCapacity(Resources.newBuilder().setCpuMillis(-1).setMemoryBytes(0).setDiskBytes(-5))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        List<String> fields = badFields(e);
        assertEquals(List.of("name", "endpoint", "labels[ok]", "capacity.cpu_millis", "capacity.memory_bytes",
                "capacity.disk_bytes"), fields);
        assertEquals("INVALID_ARGUMENT", errorInfo(e).getReason());
    }

    @Test
    void registerNode_withoutDriverKindOrCapacity_isInvalid() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> registry().registerNode(RegisterNodeRequest.newBuilder().setName("x").build()));
        assertEquals(List.of("driver_kind", "capacity"), badFields(e));
    }

    @Test
    void registerNode_withTooLongName_isInvalid() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> registry().registerNode(validNode("a".repeat(64)).build()));
        assertEquals(List.of("name"), badFields(e));
    }

    @Test
    void registerNode_twice_isAlreadyExists_andKeepsTheFirst() {
        registry().registerNode(validNode("node-dup").build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> registry().registerNode(validNode("node-dup").setRegion("us-east").build()));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        assertEquals("eu-west", registry().getNode(GetNodeRequest.newBuilder().setName("node-dup").build())
                .getNode().getRegion());
    }

    @Test
    void concurrentRegistrations_ofOneName_exactlyOneSucceeds() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Status.Code>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        registry().registerNode(validNode("node-race").build());
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            start.countDown();
            List<Status.Code> codes = new ArrayList<>();
            for (Future<Status.Code> outcome : outcomes) {
                codes.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, codes.stream().filter(c -> c == Status.Code.OK).count(), codes.toString());
            assertEquals(racers - 1, codes.stream().filter(c -> c == Status.Code.ALREADY_EXISTS).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void getNode_missing_isNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> registry().getNode(GetNodeRequest.newBuilder().setName("nowhere").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("NOT_FOUND", errorInfo(e).getReason());
        assertEquals("nowhere", errorInfo(e).getMetadataMap().get("name"));
    }

    @Test
    void listNodes_pagesThroughEveryNodeOnce_inNameOrder() {
        for (int i = 0; i < 7; i++) {
            registry().registerNode(validNode("page-" + i).setRegion("paging").build());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListNodesResponse page = registry().listNodes(ListNodesRequest.newBuilder()
                    .setRegion("paging").setPageSize(3).setPageToken(token).build());
            page.getNodesList().forEach(n -> seen.add(n.getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(List.of("page-0", "page-1", "page-2", "page-3", "page-4", "page-5", "page-6"), seen);
        assertEquals(3, pages);
    }

    @Test
    void listNodes_filtersByStatusAndDriverKind() {
        registry().registerNode(validNode("filter-docker").setRegion("filtering").build());
        ListNodesResponse pending = registry().listNodes(ListNodesRequest.newBuilder().setRegion("filtering")
                .addStatuses(NodeStatus.NODE_STATUS_PENDING).build());
        assertEquals(List.of("filter-docker"), pending.getNodesList().stream().map(Node::getName).toList());
        ListNodesResponse ready = registry().listNodes(ListNodesRequest.newBuilder().setRegion("filtering")
                .addStatuses(NodeStatus.NODE_STATUS_READY).build());
        assertTrue(ready.getNodesList().isEmpty());
        ListNodesResponse processOnly = registry().listNodes(ListNodesRequest.newBuilder().setRegion("filtering")
                .setDriverKind(DriverKind.DRIVER_KIND_PROCESS).build());
        assertTrue(processOnly.getNodesList().isEmpty());
    }

    @Test
    void listNodes_withForgedPageToken_isInvalid() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> registry().listNodes(ListNodesRequest.newBuilder().setPageToken("not-a-token!").build()));
        assertEquals(List.of("page_token"), badFields(e));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> badFields(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertFalse(status == null, "the status carries details");
        return status.getDetailsList().stream().filter(any -> any.is(BadRequest.class)).findFirst()
                .map(any -> {
                    try {
                        return any.unpack(BadRequest.class).getFieldViolationsList().stream()
                                .map(BadRequest.FieldViolation::getField).toList();
                    } catch (InvalidProtocolBufferException ex) {
                        throw new AssertionError(ex);
                    }
                }).orElseThrow(() -> new AssertionError("no BadRequest detail"));
    }

    private static ErrorInfo errorInfo(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(any -> any.is(ErrorInfo.class))
                .findFirst().map(any -> {
                    try {
                        return any.unpack(ErrorInfo.class);
                    } catch (InvalidProtocolBufferException ex) {
                        throw new AssertionError(ex);
                    }
                }).orElseThrow(() -> new AssertionError("no ErrorInfo detail"));
    }
}
