package io.orchestry.provisioner.placement;

import io.orchestry.error.ErrorReason;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.ImagePullPolicy;
import io.orchestry.provisioner.domain.Placement;
import io.orchestry.provisioner.domain.PlacementStrategy;
import io.orchestry.provisioner.domain.ResourceRequirements;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.orchestry.provisioner.fakes.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's check: only what time does not fix is refused, each with its reason; an unlisted fleet accepts all. */
class FleetPlacementCheckTest {
    /** n1: a READY process node of 4 CPUs / 8 GiB in region "local"; n2 the same, DOWN. */
    private final FakeFleet fleet = new FakeFleet(Fixtures.node("n1"),
            Fixtures.node("n2", DriverKind.PROCESS, FleetNode.Status.DOWN));
    private final FleetPlacementCheck check = new FleetPlacementCheck(fleet, new ScoringPlacer());

    private static AppSpec with(AppSpec s, Runtime runtime, Placement placement, ComputeResources requests) {
        return new AppSpec(runtime, s.env(), s.ports(), s.replicas(), new ResourceRequirements(requests,
                ComputeResources.ZERO), s.healthCheck(), s.restartPolicy(), placement, s.deploymentStrategy(),
                s.rollingUpdate());
    }

    private static AppSpec requesting(long cpuMillis, long mib) {
        AppSpec s = Fixtures.spec();
        return with(s, s.runtime(), s.placement(), new ComputeResources(cpuMillis, mib * MIB));
    }

    private String refused(AppSpec spec) {
        ResourceExhaustedException e = assertThrows(ResourceExhaustedException.class,
                () -> check.requirePlaceable("web", spec));
        assertEquals(ErrorReason.CAPACITY_EXHAUSTED, e.reason());
        return e.getMessage();
    }

    @Test
    void fits_onCapacity_evenWhenTheNodesAreDownCordonedOrFull() {
        assertDoesNotThrow(() -> check.requirePlaceable("web", requesting(4000, 8192)));
        fleet.put(Fixtures.node("n1", DriverKind.PROCESS, FleetNode.Status.SUSPECT));
        assertDoesNotThrow(() -> check.requirePlaceable("web", Fixtures.spec()), "a node that is not READY now may be");
    }

    @Test
    void noNodeOfTheKind_refused() {
        AppSpec s = Fixtures.spec();
        String message = refused(with(s, new Runtime.Container("demo:1", "", List.of(), ImagePullPolicy.NEVER),
                s.placement(), s.resources().requests()));
        assertTrue(message.contains("no docker node in the fleet"), message);
    }

    @Test
    void selectorMatchesNone_refused() {
        AppSpec s = Fixtures.spec();
        String message = refused(with(s, s.runtime(), new Placement("disk=ssd", List.of(), PlacementStrategy.SPREAD),
                s.resources().requests()));
        assertTrue(message.contains("node selector 'disk=ssd' matched no node"), message);
    }

    @Test
    void noNodeInTheRegions_refused() {
        AppSpec s = Fixtures.spec();
        String message = refused(with(s, s.runtime(), new Placement("", List.of("mars"), PlacementStrategy.SPREAD),
                s.resources().requests()));
        assertTrue(message.contains("region mars"), message);
    }

    @Test
    void moreMemoryOrCpuThanAnyNodeHas_refused() {
        String memory = refused(requesting(100, 16384));
        assertTrue(memory.contains("not enough memory on any of 2 nodes: needs 16384 MiB"), memory);
        String cpu = refused(requesting(8000, 128));
        assertTrue(cpu.contains("not enough CPU on any of 2 nodes: needs 8000m"), cpu);
    }

    @Test
    void independentNodesDoNotCount() {
        FakeFleet independentOnly = new FakeFleet(new FleetNode("i1", DriverKind.PROCESS, "local", "127.0.0.1", "local",
                java.util.Map.of(), new ComputeResources(4000, 8192 * MIB), FleetNode.Status.INDEPENDENT,
                FleetNode.Mode.SCHEDULABLE, null, true));
        assertThrows(ResourceExhaustedException.class, () -> new FleetPlacementCheck(independentOnly, new ScoringPlacer())
                .requirePlaceable("web", Fixtures.spec()));
    }

    @Test
    void fleetNotListedYet_accepted() {
        FakeFleet unknown = new FakeFleet();
        unknown.unlisted();
        assertDoesNotThrow(() -> new FleetPlacementCheck(unknown, new ScoringPlacer())
                .requirePlaceable("web", requesting(100, 1 << 20)));
        assertThrows(ResourceExhaustedException.class, () -> new FleetPlacementCheck(new FakeFleet(), new ScoringPlacer())
                .requirePlaceable("web", Fixtures.spec()), "listed and empty: no process node");
    }
}
