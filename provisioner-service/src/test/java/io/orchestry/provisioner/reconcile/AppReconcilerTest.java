package io.orchestry.provisioner.reconcile;

import io.orchestry.controlloop.Result;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.AppState;
import io.orchestry.provisioner.domain.Condition;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.Deployment.DeploymentState;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.NodeReach;
import io.orchestry.provisioner.domain.Revision;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconciler over the in-memory fakes and FakeDriver, time on a SettableClock. */
class AppReconcilerTest {

    private final Harness h = new Harness(Fixtures.node("n1"), Fixtures.node("n2"));

    private App put(int replicas) {
        App app = Rows.app(replicas);
        h.apps.put(app, new Revision("web", 1, app.spec(), Fixtures.T0));
        return app;
    }

    @Test
    void create_threeReplicas_threeStartedAndRunning() {
        put(3);
        h.converge("web");
        List<Instance> rows = h.instances.byApp("web");
        assertEquals(3, rows.size());
        assertTrue(rows.stream().allMatch(i -> i.state() == InstanceState.RUNNING && !i.host().isEmpty()), rows.toString());
        assertEquals(3, h.running().size());
        assertEquals(Map.of("n1", 2L, "n2", 1L), rows.stream()
                .collect(Collectors.groupingBy(Instance::nodeName, Collectors.counting())), "spread over both nodes");
        App app = h.apps.find("web").orElseThrow();
        assertEquals(AppState.RUNNING, app.status().state());
        assertEquals(3, app.status().availableReplicas());
        assertEquals(1, app.status().observedGeneration());
        assertEquals(List.of("orchestry-web-1-1", "orchestry-web-1-2", "orchestry-web-1-3"),
                rows.stream().map(Instance::id).sorted().toList());
    }

    @Test
    void restart_beforeTheFirstNodeList_waitsAndForgetsNothing() {
        put(2);
        h.converge("web");
        List<String> before = h.instances.byApp("web").stream().map(Instance::id).sorted().toList();
        h.fleet.unlisted();
        Result waiting = h.reconcile("web");
        assertInstanceOf(Result.RequeueAfter.class, waiting);
        assertEquals(before, h.instances.byApp("web").stream().map(Instance::id).sorted().toList(),
                "no row is forgotten while the nodes are unknown");
        assertEquals(2, h.running().size(), "nothing started twice");
    }

    @Test
    void kill_replicaExits_restartedUnderItsIdAfterBackoff() {
        put(1);
        h.converge("web");
        String id = h.instances.byApp("web").get(0).id();
        h.factory.driver(h.instances.get(id).nodeName()).exit(id, 137, "killed");
        h.observe();
        Result early = h.reconcile("web");
        assertEquals(InstanceState.FAILED, h.instances.get(id).state(), "backoff first: no hot loop");
        assertInstanceOf(Result.RequeueAfter.class, early);
        h.clock.advance(Duration.ofSeconds(1));
        h.converge("web");
        Instance row = h.instances.get(id);
        assertEquals(InstanceState.RUNNING, row.state());
        assertEquals(1, row.restartCount());
        assertEquals(1, h.running().size());
    }

    @Test
    void rollout_newRevisionNeverHealthy_rolledBackAfterDeadline_neverBelowMinAvailable() {
        App v1 = put(2);
        h.converge("web");
        AppSpec v2spec = withArgs(v1.spec(), "2000");
        App v2 = new App("web", "default", Map.of(), v2spec, 2, 2, false, false, null, v1.createTime(),
                v1.updateTime(), 5, h.apps.find("web").orElseThrow().status());
        h.apps.put(v2, new Revision("web", 2, v2spec, h.clock.instant()));
        h.deployments.put(new Deployment("d2", "web", "default", 1, 2, DeploymentState.PENDING,
                v2spec.deploymentStrategy(), Deployment.DeploymentTrigger.UPDATE, "", 0, 2, h.clock.instant(), null,
                null));
        h.healthy = i -> i.revision() == 1;
        h.converge("web", x -> assertTrue(available(x) >= 2, "fewer than replicas - maxUnavailable available"));
        assertEquals(1, h.instances.byApp("web").stream().filter(i -> i.revision() == 2).count(), "one surge replica");

        h.clock.advance(Duration.ofMinutes(11));
        h.converge("web", x -> assertTrue(available(x) >= 2));
        Deployment d = h.deployments.find("d2").orElseThrow();
        assertEquals(DeploymentState.ROLLED_BACK, d.state());
        assertTrue(d.message().contains("rolled back to revision 1"), d.message());
        App after = h.apps.find("web").orElseThrow();
        assertEquals(1, after.revision());
        assertTrue(h.instances.byApp("web").stream().allMatch(i -> i.revision() == 1), h.instances.byApp("web").toString());
        assertEquals(2, h.running().size());
    }

    @Test
    void downNode_replicasRunElsewhere() {
        put(2);
        h.converge("web");
        h.fleet.put(Fixtures.node("n2", DriverKind.PROCESS, FleetNode.Status.DOWN));
        h.converge("web");
        List<Instance> rows = h.instances.byApp("web");
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(i -> i.nodeName().equals("n1")), rows.toString());
    }

    @Test
    void downNode_theAgentStillReachesIt_replicasKeptNothingPlacedThere() {
        put(2);
        h.converge("web");
        List<Instance> before = h.instances.byApp("web");
        // the registry's DOWN came from this provisioner's own absence: its agent has not tried the node yet, or reaches it
        for (NodeReach.Reach found : List.of(NodeReach.Reach.UNKNOWN, NodeReach.Reach.ANSWERS)) {
            h.reach.put("n2", found);
            h.fleet.put(Fixtures.node("n2", DriverKind.PROCESS, FleetNode.Status.DOWN));
            h.converge("web");
            assertEquals(before.stream().map(Instance::id).toList(), h.instances.byApp("web").stream().map(Instance::id).toList(),
                    "nothing forgotten or replaced while the agent says " + found);
        }
        h.reach.put("n2", NodeReach.Reach.SILENT);
        h.converge("web");
        assertTrue(h.instances.byApp("web").stream().allMatch(i -> i.nodeName().equals("n1")), "then it is DOWN for real");
    }

    @Test
    void downNode_replicaForgottenWithoutCallingItsDriver_reapedAfterGraceWhenTheNodeReturns() {
        put(2);
        h.converge("web");
        List<String> onN2 = h.instances.byNode("n2").stream().map(Instance::id).toList();
        assertEquals(1, onN2.size());
        h.fleet.put(Fixtures.node("n2", DriverKind.PROCESS, FleetNode.Status.DOWN));
        int callsBefore = h.factory.driver("n2").calls().size();
        h.converge("web");
        assertEquals(callsBefore, h.factory.driver("n2").calls().size(), "a DOWN node's driver is never called: "
                + h.factory.driver("n2").calls());
        assertEquals(2, h.instances.byNode("n1").size(), "replaced on n1");
        assertTrue(h.factory.driver("n2").workload(onN2.get(0)).isPresent(), "left to the orphan reaper");

        h.fleet.put(Fixtures.node("n2")); // the node returns
        Duration grace = Duration.ofSeconds(60);
        OrphanReaper reaper = new OrphanReaper(h.instances, h.fleet, h.drivers, grace, false, h.clock);
        h.clock.advance(grace.plusSeconds(1));
        assertEquals(1, reaper.reap());
        assertTrue(h.factory.driver("n2").workload(onN2.get(0)).isEmpty());
        assertEquals(2, h.running().size());
    }

    @Test
    void drain_replicasMoveOffBeforeTheOldGo() {
        put(2);
        h.converge("web");
        h.drains.request("n2", h.clock.instant().plus(Duration.ofMinutes(10)));
        h.converge("web", x -> assertTrue(available(x) >= 2, "a drain keeps every replica available"));
        assertEquals(List.of(), h.instances.byNode("n2"));
        assertEquals(2, h.instances.byApp("web").size());
        assertEquals(List.of(), h.factory.driver("n2").list(io.orchestry.provisioner.runtime.OwnerSelector.ALL));
    }

    @Test
    void delete_nothingLeft() {
        put(3);
        h.converge("web");
        h.apps.put(Rows.deleting(h.apps.find("web").orElseThrow()));
        h.converge("web");
        assertTrue(h.apps.find("web").isEmpty());
        assertEquals(List.of(), h.instances.all());
        assertEquals(List.of(), h.running());
        assertEquals(List.of(), h.factory.driver("n1").list(io.orchestry.provisioner.runtime.OwnerSelector.ALL));
    }

    @Test
    void crashMidPlace_newReconcilerAdoptsThePendingRow_noDuplicate() {
        put(2);
        h.converge("web");
        App app = h.apps.find("web").orElseThrow();
        h.apps.put(new App("web", "default", Map.of(), app.spec().withReplicas(3), 2, 1, false, false, null,
                app.createTime(), app.updateTime(), app.version() + 1, app.status()));
        // the crashed provisioner recorded the row and got as far as the driver's start, not as far as the row's update
        String id = "orchestry-web-1-" + h.instances.nextOrdinal("web");
        Instance pending = new Instance(id, "web", "default", 1, "n2", DriverKind.PROCESS, "", List.of(),
                InstanceState.PENDING, InstanceHealth.UNKNOWN, 0, null, null, Fixtures.spec().resources().requests(), "",
                "", false, h.clock.instant(), h.clock.instant());
        h.instances.insert(pending);
        h.factory.driver("n2").start(new io.orchestry.provisioner.runtime.WorkloadSpec(
                new io.orchestry.provisioner.runtime.WorkloadId(id),
                new io.orchestry.provisioner.runtime.OwnerLabels("web", "default", 1, id, h.clock.instant()),
                app.spec().runtime(), Map.of(), app.spec().ports(), app.spec().resources().limits()));

        h.converge("web"); // a new reconciler (as after a restart) over the same rows and nodes
        assertEquals(3, h.instances.byApp("web").size());
        assertEquals(3, h.running().size(), "no duplicate workload");
        assertEquals(InstanceState.RUNNING, h.instances.get(id).state());
        List<String> ids = h.running().stream().map(WorkloadStatus::id).map(Object::toString).sorted().toList();
        assertEquals(ids.stream().distinct().toList(), ids);
    }

    @Test
    void missingExecutable_instanceFailed_degradedInvalidSpec_terminal() {
        put(1);
        h.factory.driver("n1").failNextStart(new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE,
                "no such executable: /bin/nope"));
        h.factory.driver("n2").failNextStart(new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE,
                "no such executable: /bin/nope"));
        h.reconcile("web");
        Instance row = h.instances.byApp("web").get(0);
        assertEquals(InstanceState.FAILED, row.state());
        Condition degraded = degraded(h.apps.find("web").orElseThrow());
        assertEquals(Condition.ConditionStatus.TRUE, degraded.status());
        assertEquals(Conditions.INVALID_SPEC, degraded.reason());
        h.clock.advance(Duration.ofMinutes(10));
        Result again = h.reconcile("web");
        assertInstanceOf(Result.Terminal.class, again);
        assertEquals(1, h.factory.driver(row.nodeName()).calls("start").size(), "never retried until the spec changes");
    }

    @Test
    void missingImage_instanceFailed_degradedImageNotFound_terminal() {
        put(1);
        NotOnNodeException missing = new NotOnNodeException(NotOnNodeException.Missing.IMAGE,
                "image demo:9 is not on node n1 (pull policy never)");
        h.factory.driver("n1").failNextStart(missing);
        h.factory.driver("n2").failNextStart(missing);
        h.reconcile("web");
        assertEquals(InstanceState.FAILED, h.instances.byApp("web").get(0).state());
        assertEquals(Conditions.IMAGE_NOT_FOUND, degraded(h.apps.find("web").orElseThrow()).reason());
        assertInstanceOf(Result.Terminal.class, h.reconcile("web"));
    }

    @Test
    void otherFailedPrecondition_degradedStartFailed_retriedWithBackoff_thenRuns() {
        put(1);
        FailedPreconditionException taken = new FailedPreconditionException("port 20000 is taken on this node");
        h.factory.driver("n1").failNextStart(taken);
        h.factory.driver("n2").failNextStart(taken);
        FailedPreconditionException thrown = org.junit.jupiter.api.Assertions.assertThrows(
                FailedPreconditionException.class, () -> h.reconcile("web"), "thrown: the controller retries with backoff");
        assertEquals(taken, thrown);
        Instance row = h.instances.byApp("web").get(0);
        assertEquals(InstanceState.PENDING, row.state(), "not failed for good: started again on the next pass");
        assertEquals("port 20000 is taken on this node", row.lastError());
        App app = h.apps.find("web").orElseThrow();
        assertEquals(Conditions.START_FAILED, degraded(app).reason());
        assertFalse(Conditions.blocked(app.status(), app.generation()));

        h.converge("web"); // the retry (the controller's backoff is its own; here the next pass)
        assertEquals(InstanceState.RUNNING, h.instances.get(row.id()).state());
        assertEquals(2, h.factory.driver(row.nodeName()).calls("start").size());
        assertEquals(AppState.RUNNING, h.apps.find("web").orElseThrow().status().state());
    }

    @Test
    void noNodeFits_degradedInsufficientCapacity_requeuedNotAnErrorLoop() {
        put(1);
        h.fleet.put(Fixtures.node("n1", DriverKind.PROCESS, FleetNode.Status.DOWN));
        h.fleet.put(Fixtures.node("n2", DriverKind.PROCESS, FleetNode.Status.DOWN));
        Result result = h.reconcile("web");
        assertEquals(Result.requeueAfter(ReconcileConfig.DEFAULTS.capacityRetry()), result);
        App app = h.apps.find("web").orElseThrow();
        assertEquals(AppState.DEGRADED, app.status().state());
        assertEquals(Conditions.INSUFFICIENT_CAPACITY, degraded(app).reason());
    }

    @Test
    void containerAppWithoutDockerDriver_invalidSpec_terminal() {
        AppSpec s = Fixtures.spec();
        AppSpec container = new AppSpec(new Runtime.Container("demo:1", "", List.of(),
                io.orchestry.provisioner.domain.ImagePullPolicy.NEVER), s.env(), s.ports(), 1, s.resources(),
                null, s.restartPolicy(), s.placement(), s.deploymentStrategy(), s.rollingUpdate());
        h.apps.put(Rows.withSpec(Rows.app(1), container));
        Result result = h.reconcile("web");
        assertInstanceOf(Result.Terminal.class, result);
        assertEquals(Conditions.INVALID_SPEC, degraded(h.apps.find("web").orElseThrow()).reason());
        assertEquals(List.of(), h.instances.all());
    }

    private static Condition degraded(App app) {
        return app.status().conditions().stream().filter(c -> c.type() == Condition.ConditionType.DEGRADED)
                .findFirst().orElseThrow();
    }

    private static long available(Harness x) {
        return x.instances.byApp("web").stream()
                .filter(i -> !i.retiring() && i.state() == InstanceState.RUNNING && i.health() == InstanceHealth.HEALTHY)
                .count();
    }

    private static AppSpec withArgs(AppSpec s, String arg) {
        return new AppSpec(new Runtime.Process("/bin/sleep", List.of(arg), ""), s.env(), s.ports(), s.replicas(),
                s.resources(), s.healthCheck(), s.restartPolicy(), s.placement(), s.deploymentStrategy(),
                s.rollingUpdate());
    }
}
