package io.orchestry.provisioner.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances as the reconciler writes them (through the repository, fenced, with their outbox rows) and as ListInstances,
 * WatchInstances, DeleteInstance and StreamInstanceStats show them. The watch buffer is 3 in these tests.
 */
@MicronautTest(transactional = false)
class InstancesTest extends ProvisionerComponentTest {
    @Inject
    InstanceRepository instances;

    private Instance instance(String app, String node, InstanceState state) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String id = "orchestry-" + app + "-1-" + instances.nextOrdinal(app);
        return new Instance(id, app, PROJECT, 1, node, DriverKind.PROCESS, "127.0.0.1", List.of(new InstancePort("http", 40001)),
                state, InstanceHealth.UNKNOWN, 0, now, null, ComputeResources.ZERO, "", "", false, now, now);
    }

    private static Instance with(Instance i, InstanceState state, InstanceHealth health, ComputeResources usage) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(), state,
                health, i.restartCount(), i.startTime(), i.healthySince(), usage, i.lastError(), i.runtimeId(), i.retiring(),
                i.createTime(), i.updateTime());
    }

    @Test
    void ordinals_neverRepeat_evenForANewAppOfTheSameName() {
        long first = instances.nextOrdinal("ordinal-app");
        long second = instances.nextOrdinal("ordinal-app");
        assertEquals(first + 1, second);
    }

    @Test
    void list_filters_andPages_withAResourceVersion() {
        create("inst-list", processSpec().build());
        instances.insert(instance("inst-list", "node-a", InstanceState.RUNNING));
        instances.insert(instance("inst-list", "node-b", InstanceState.PENDING));
        instances.insert(instance("inst-list", "node-a", InstanceState.RUNNING));
        ListInstancesResponse all = stub().listInstances(ListInstancesRequest.newBuilder().setApp("inst-list").build());
        assertEquals(3, all.getInstancesCount());
        assertTrue(all.getResourceVersion() > 0);
        assertEquals("127.0.0.1", all.getInstances(0).getAddress().getHost());
        assertEquals(40001, all.getInstances(0).getAddress().getPort());
        assertEquals(2, stub().listInstances(ListInstancesRequest.newBuilder().setApp("inst-list").setNodeName("node-a").build())
                .getInstancesCount());
        assertEquals(1, stub().listInstances(ListInstancesRequest.newBuilder().setApp("inst-list")
                .addStates(io.orchestry.provisioner.v1.InstanceState.INSTANCE_STATE_PENDING).build()).getInstancesCount());
        ListInstancesResponse page = stub().listInstances(ListInstancesRequest.newBuilder().setApp("inst-list").setPageSize(2).build());
        ListInstancesResponse rest = stub().listInstances(ListInstancesRequest.newBuilder().setApp("inst-list").setPageSize(2)
                .setPageToken(page.getNextPageToken()).build());
        assertEquals(all.getInstancesList(), java.util.stream.Stream.concat(page.getInstancesList().stream(),
                rest.getInstancesList().stream()).toList());
    }

    @Test
    void watch_fromAList_seesEveryLaterChange_inOrder_filteredByApp() {
        create("inst-watch", processSpec().build());
        Instance a = instance("inst-watch", "node-a", InstanceState.PENDING);
        instances.insert(a);
        long version = stub().listInstances(ListInstancesRequest.newBuilder().setApp("inst-watch").build()).getResourceVersion();
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            Iterator<WatchInstancesResponse> events = context.call(() -> ProvisionerServiceGrpc.newBlockingStub(channel)
                    .watchInstances(WatchInstancesRequest.newBuilder().setResourceVersion(version).setApp("inst-watch").build()));
            instances.insert(instance("other-app", "node-a", InstanceState.PENDING));
            instances.update(with(a, InstanceState.RUNNING, InstanceHealth.HEALTHY, ComputeResources.ZERO));
            instances.delete(a.id());
            WatchInstancesResponse modified = events.next();
            assertEquals(WatchEventType.WATCH_EVENT_TYPE_MODIFIED, modified.getType());
            assertEquals(io.orchestry.provisioner.v1.InstanceHealth.INSTANCE_HEALTH_HEALTHY, modified.getInstance().getHealth());
            WatchInstancesResponse deleted = events.next();
            assertEquals(WatchEventType.WATCH_EVENT_TYPE_DELETED, deleted.getType());
            assertEquals(a.id(), deleted.getInstance().getId());
            assertTrue(deleted.getResourceVersion() > modified.getResourceVersion());
            assertEquals(3, count("SELECT count(*) FROM instance_event WHERE instance_id = ?", a.id()));
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            context.cancel(null);
        }
    }

    @Test
    void watch_fromAVersionNoLongerKept_isOutOfRange() {
        create("inst-old", processSpec().build());
        Instance a = instance("inst-old", "node-a", InstanceState.PENDING);
        instances.insert(a);
        long old = stub().listInstances(ListInstancesRequest.newBuilder().setApp("inst-old").build()).getResourceVersion();
        for (int i = 0; i < 4; i++) {
            instances.update(with(a, InstanceState.RUNNING, i % 2 == 0 ? InstanceHealth.HEALTHY : InstanceHealth.UNHEALTHY,
                    ComputeResources.ZERO));
        }
        StatusRuntimeException e = failure(() -> ProvisionerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10,
                java.util.concurrent.TimeUnit.SECONDS).watchInstances(WatchInstancesRequest.newBuilder()
                .setResourceVersion(old - 1).build()).hasNext());
        assertEquals(Status.Code.OUT_OF_RANGE, e.getStatus().getCode());
        assertEquals("RESOURCE_VERSION_TOO_OLD", errorInfo(e).getReason());
    }

    @Test
    void usageOnlyUpdate_writesNoEvent() {
        create("inst-usage", processSpec().build());
        Instance a = instance("inst-usage", "node-a", InstanceState.RUNNING);
        instances.insert(a);
        long events = count("SELECT count(*) FROM instance_event WHERE instance_id = ?", a.id());
        instances.update(with(a, InstanceState.RUNNING, InstanceHealth.UNKNOWN, new ComputeResources(250, 64L << 20)));
        assertEquals(events, count("SELECT count(*) FROM instance_event WHERE instance_id = ?", a.id()));
        assertEquals(250, count("SELECT usage_cpu_millis FROM instance WHERE id = ?", a.id()));
    }

    @Test
    void deleteInstance_marksItRetiring_andTellsTheReconciler_unknownIsNotFound() {
        create("inst-del", processSpec().build());
        Instance a = instance("inst-del", "node-a", InstanceState.RUNNING);
        instances.insert(a);
        listener.changed.clear();
        stub().deleteInstance(DeleteInstanceRequest.newBuilder().setId(a.id()).build());
        assertTrue(instances.find(a.id()).orElseThrow().retiring());
        assertEquals(List.of("inst-del"), listener.changed);
        StatusRuntimeException e = failure(() -> stub().deleteInstance(DeleteInstanceRequest.newBuilder().setId("orchestry-x-1-1").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("instance", errorInfo(e).getMetadataMap().get("kind"));
    }

    @Test
    void stats_reportUsageAsAPercentOfRequests() {
        create("inst-stats", processSpec().setResources(ResourceRequirements.newBuilder()
                .setRequests(io.orchestry.provisioner.v1.ComputeResources.newBuilder().setCpuMillis(500).setMemoryBytes(100L << 20))).build());
        Instance a = instance("inst-stats", "node-a", InstanceState.RUNNING);
        instances.insert(a);
        instances.update(with(a, InstanceState.RUNNING, InstanceHealth.UNKNOWN, new ComputeResources(250, 25L << 20)));
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            Iterator<StreamInstanceStatsResponse> batches = context.call(() -> ProvisionerServiceGrpc.newBlockingStub(channel)
                    .streamInstanceStats(StreamInstanceStatsRequest.newBuilder().setApp("inst-stats").build()));
            StreamInstanceStatsResponse batch = batches.next();
            assertEquals(1, batch.getStatsCount());
            assertEquals(50.0, batch.getStats(0).getCpuUtilization(), 1e-9);
            assertEquals(25.0, batch.getStats(0).getMemoryUtilization(), 1e-9);
            assertFalse(batches.next().getStatsList().isEmpty(), "a second batch follows");
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            context.cancel(null);
        }
    }
}
