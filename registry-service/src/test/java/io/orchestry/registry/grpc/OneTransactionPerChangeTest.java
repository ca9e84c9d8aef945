package io.orchestry.registry.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.registry.v1.*;
import io.orchestry.controlloop.Leadership;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.registry.domain.Fencing;
import io.orchestry.registry.domain.NodeTransitions;
import io.orchestry.registry.domain.StatusChange;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change to a node and its event commit together or not at all: a trigger makes PostgreSQL refuse
 * the event row (after the node row was written, in the same transaction) for some nodes, and then
 * neither the node's change nor the event is there, and no resource version was spent. A leader's
 * write under an epoch that no longer leads is refused in its transaction. A watch from before what
 * the hub keeps is OUT_OF_RANGE.
 */
@MicronautTest(transactional = false)
class OneTransactionPerChangeTest extends RegistryServiceTest {
    private static final long GIB = 1L << 30;

    @Inject
    NodeTransitions transitions;
    @Inject
    Leadership leadership;

    @BeforeAll
    void refuseSomeEvents() throws SQLException {
        try (Connection connection = database().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    CREATE OR REPLACE FUNCTION registry.refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.node_name LIKE 'boom-all-%' OR (NEW.node_name LIKE 'boom-later-%' AND NEW.reason <> 'registered') THEN
                            RAISE EXCEPTION 'event refused for %', NEW.node_name;
                        END IF;
                        RETURN NEW;
                    END $$""");
            sql.execute("CREATE TRIGGER refuse_event BEFORE INSERT ON registry.node_event FOR EACH ROW EXECUTE FUNCTION registry.refuse_event()");
        }
    }

    @Test
    void registration_whoseEventFails_leavesNoNode() throws SQLException {
        long before = resourceVersion();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> register("boom-all-1"));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals(0, count("SELECT count(*) FROM registry.node WHERE name = 'boom-all-1'"));
        assertEquals(0, count("SELECT count(*) FROM registry.node_event WHERE node_name = 'boom-all-1'"));
        assertEquals(before, resourceVersion());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> registry()
                .getNode(GetNodeRequest.newBuilder().setName("boom-all-1").build())).getStatus().getCode());
    }

    @Test
    void cordonAndHeartbeatTransition_whoseEventsFail_changeNothing() throws SQLException {
        Node registered = register("boom-later-1");
        long before = resourceVersion();
        assertEquals(Status.Code.INTERNAL, assertThrows(StatusRuntimeException.class, () -> registry()
                .cordonNode(CordonNodeRequest.newBuilder().setName("boom-later-1").build())).getStatus().getCode());
        assertEquals(Status.Code.INTERNAL, assertThrows(StatusRuntimeException.class, () -> registry()
                .sendHeartbeat(SendHeartbeatRequest.newBuilder().setNodeName("boom-later-1").build())).getStatus().getCode());

        Node after = registry().getNode(GetNodeRequest.newBuilder().setName("boom-later-1").build()).getNode();
        assertEquals(SchedulingMode.SCHEDULING_MODE_SCHEDULABLE, after.getSchedulingMode());
        assertEquals(NodeStatus.NODE_STATUS_PENDING, after.getStatus());
        assertEquals(registered.getVersion(), after.getVersion());
        assertEquals(1, count("SELECT count(*) FROM registry.node_event WHERE node_name = 'boom-later-1'"), "only 'registered'");
        assertEquals(before, resourceVersion());
        assertFalse(registry().listNodeEvents(ListNodeEventsRequest.newBuilder().setNodeName("boom-later-1").build())
                .getEventsList().stream().anyMatch(event -> event.getStatus() == NodeStatus.NODE_STATUS_READY));
    }

    @Test
    void aFencedTransition_underAnEpochThatNoLongerLeads_isRefused_andWritesNothing() throws Exception {
        for (int i = 0; i < 200 && !leadership.isLeader(); i++) {
            TimeUnit.MILLISECONDS.sleep(50); // the election at start-up: a bounded wait for its outcome
        }
        register("fence-1");
        StatusChange toReady = new StatusChange("fence-1", io.orchestry.registry.domain.NodeStatus.PENDING,
                io.orchestry.registry.domain.NodeStatus.READY, "test", null);
        long before = resourceVersion();
        assertThrows(FailedPreconditionException.class, () -> transitions.transitionAll(List.of(toReady),
                new Fencing(leadership.name(), leadership.heldEpoch() + 1)));
        assertEquals(before, resourceVersion());
        assertEquals(NodeStatus.NODE_STATUS_PENDING, registry().getNode(GetNodeRequest.newBuilder().setName("fence-1").build())
                .getNode().getStatus());

        assertTrue(leadership.isLeader(), "the only replica leads");
        assertEquals(1, transitions.transitionAll(List.of(toReady), new Fencing(leadership.name(), leadership.heldEpoch())).size());
        assertEquals(NodeStatus.NODE_STATUS_READY, registry().getNode(GetNodeRequest.newBuilder().setName("fence-1").build())
                .getNode().getStatus());
    }

    @Test
    void watch_fromBeforeWhatIsKept_isOutOfRange() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> RegistryServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .watchNodes(WatchNodesRequest.newBuilder().setResourceVersion(-1).build()).hasNext());
        assertEquals(Status.Code.OUT_OF_RANGE, e.getStatus().getCode());
    }

    private Node register(String name) {
        return registry().registerNode(RegisterNodeRequest.newBuilder().setName(name)
                .setDriverKind(DriverKind.DRIVER_KIND_DOCKER).setEndpoint("unix:///var/run/docker.sock")
                .setCapacity(Resources.newBuilder().setCpuMillis(1000).setMemoryBytes(GIB)).build()).getNode();
    }

    private long resourceVersion() throws SQLException {
        return count("SELECT value FROM registry.resource_version");
    }

    private long count(String query) throws SQLException {
        try (Connection connection = database().getConnection(); ResultSet rows = connection.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
