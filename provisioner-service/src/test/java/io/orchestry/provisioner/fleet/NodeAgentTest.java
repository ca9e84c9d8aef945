package io.orchestry.provisioner.fleet;

import io.orchestry.controlloop.SettableClock;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.NodeReach;
import io.orchestry.provisioner.fakes.FakeAppRepository;
import io.orchestry.provisioner.fakes.FakeDriverFactory;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.fakes.RecordingNodeReporter;
import io.orchestry.provisioner.fakes.RecordingNodeReporter.Allocation;
import io.orchestry.provisioner.fakes.RecordingNodeReporter.Heartbeat;
import io.orchestry.provisioner.runtime.Drivers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

import static io.orchestry.provisioner.fakes.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeAgentTest {
    private final SettableClock clock = new SettableClock();
    private final FakeDriverFactory processes = new FakeDriverFactory(DriverKind.PROCESS, clock);
    private final Drivers drivers = new Drivers(List.of(processes));
    private final FakeFleet fleet = new FakeFleet();
    private final FakeInstanceRepository instances = new FakeInstanceRepository();
    private final FakeAppRepository apps = new FakeAppRepository();
    private final RecordingNodeReporter registry = new RecordingNodeReporter();

    private NodeAgent agent(NodeFanout fanout, Duration fingerprintTimeout) {
        return new NodeAgent(fleet, drivers, instances, apps, registry, fanout,
                new FleetConfig(Duration.ofSeconds(2), fingerprintTimeout, Duration.ofSeconds(3), 2));
    }

    private NodeAgent agent() {
        return agent(new NodeFanout(Runnable::run), Duration.ofSeconds(2));
    }

    @Test
    void tick_healthyNode_heartbeatWithTheFingerprintsUsage() {
        fleet.put(Fixtures.node("p1"));
        processes.driver("p1").resources(new ComputeResources(4000, 8192 * MIB), new ComputeResources(700, 900 * MIB));

        agent().tick();

        assertEquals(List.of(new Heartbeat("p1", 700, 900 * MIB, 0)), registry.heartbeats());
    }

    @Test
    void tick_unreachableNode_noHeartbeatUntilItAnswersAgain() {
        fleet.put(Fixtures.node("p1"));
        fleet.put(Fixtures.node("p2"));
        NodeAgent agent = agent();
        processes.driver("p1").unreachable(true);

        agent.tick();
        agent.tick();
        assertEquals(List.of("p2", "p2"), registry.heartbeats().stream().map(Heartbeat::node).toList());

        processes.driver("p1").unreachable(false);
        registry.clear();
        agent.tick();
        assertEquals(List.of("p1", "p2"), registry.heartbeats().stream().map(Heartbeat::node).toList());
    }

    @Test
    void tick_whatItFinds_isTheReconcilersReach_forgottenOnANewLeadership() {
        fleet.put(Fixtures.node("p1"));
        fleet.put(Fixtures.node("p2"));
        AgentReach reach = new AgentReach();
        NodeAgent agent = new NodeAgent(fleet, drivers, instances, apps, registry, new NodeFanout(Runnable::run),
                new FleetConfig(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3), 2), reach);
        processes.driver("p1").unreachable(true);
        registry.fail(new IllegalStateException("the registry is away")); // the nodes still answer
        assertEquals(NodeReach.Reach.UNKNOWN, reach.of("p2"));

        agent.tick();
        assertEquals(NodeReach.Reach.UNKNOWN, reach.of("p1"), "one failed round is not silence");
        agent.tick();
        agent.tick();

        assertEquals(NodeReach.Reach.SILENT, reach.of("p1"), "three in a row are");
        assertEquals(NodeReach.Reach.ANSWERS, reach.of("p2"));
        processes.driver("p2").unreachable(true);
        agent.tick();
        assertEquals(NodeReach.Reach.ANSWERS, reach.of("p2"), "a node that answered keeps it for a round or two");
        agent.forgetReported();
        assertEquals(NodeReach.Reach.UNKNOWN, reach.of("p1"));
    }

    @Test
    void tick_independentOrUnsupportedNodes_areLeftAlone() {
        FleetNode independent = Fixtures.node("p1");
        fleet.put(new FleetNode("p1", DriverKind.PROCESS, "local", "127.0.0.1", "local", independent.labels(),
                independent.allocatable(), FleetNode.Status.INDEPENDENT, FleetNode.Mode.SCHEDULABLE, null, true));
        fleet.put(Fixtures.node("d1", DriverKind.DOCKER, FleetNode.Status.PENDING));

        agent().tick();

        assertTrue(registry.heartbeats().isEmpty());
        assertTrue(registry.allocations().isEmpty());
        assertTrue(processes.driver("p1").calls().isEmpty());
    }

    @Test
    void tick_slowFingerprint_countsAsUnreachableAndDelaysNoOtherNode() throws Exception {
        fleet.put(Fixtures.node("p1"));
        fleet.put(Fixtures.node("p2"));
        CountDownLatch slow = new CountDownLatch(1);
        processes.driver("p1").holdFingerprints(slow);
        ExecutorService pool = NodeThreads.pool("test-fingerprint", 2);
        try {
            NodeAgent agent = agent(new NodeFanout(pool), Duration.ofMillis(200));

            agent.tick();
            agent.tick(); // p1's first call still runs: no second one, still no heartbeat

            assertEquals(List.of("p2", "p2"), registry.heartbeats().stream().map(Heartbeat::node).toList());
        } finally {
            slow.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void tick_registryAnswersAnInterval_roundsFollowIt() {
        fleet.put(Fixtures.node("p1"));
        registry.answerInterval(Duration.ofSeconds(3));
        NodeAgent agent = agent();

        assertEquals(Duration.ofSeconds(3), agent.tick());
        assertEquals(Duration.ofSeconds(3), agent.interval());
    }

    @Test
    void tick_allocation_requestsOfNonRetiringInstances_reportedWhenChanged() {
        fleet.put(Fixtures.node("p1"));
        fleet.put(Fixtures.node("p2"));
        apps.put(Fixtures.app("web", Fixtures.spec()), Fixtures.revision("web", Fixtures.spec()));
        instances.insert(Fixtures.instance("web", 1, "p1"));
        instances.insert(Fixtures.instance("web", 2, "p1"));
        instances.insert(Fixtures.retiring(Fixtures.instance("web", 3, "p1")));
        NodeAgent agent = agent();

        agent.tick();
        assertEquals(List.of(new Allocation("p1", new ComputeResources(200, 256 * MIB), 2),
                new Allocation("p2", ComputeResources.ZERO, 0)), registry.allocations());

        registry.clear();
        agent.tick();
        assertTrue(registry.allocations().isEmpty(), "nothing changed: nothing reported");

        instances.delete("orchestry-web-1-1");
        agent.tick();
        assertEquals(List.of(new Allocation("p1", new ComputeResources(100, 128 * MIB), 1)), registry.allocations());

        registry.clear();
        agent.forgetReported();
        agent.tick();
        assertEquals(2, registry.allocations().size(), "a new leader reports every node again");
    }

    @Test
    void tick_registryFails_allocationReportedAgainNextRound() {
        fleet.put(Fixtures.node("p1"));
        NodeAgent agent = agent();
        registry.fail(new RuntimeException("registry down"));

        agent.tick();
        registry.fail(null);
        agent.tick();

        assertEquals(List.of(new Allocation("p1", ComputeResources.ZERO, 0)), registry.allocations());
        assertEquals(1, registry.heartbeats().size());
    }
}
