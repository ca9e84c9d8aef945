package io.orchestry.registry.domain;

import io.orchestry.controlloop.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FleetStateTest {
    private final SettableClock clock = new SettableClock();

    private static Node node(String name, NodeStatus status, SchedulingMode mode, long resourceVersion) {
        return new Node(name, DriverKind.DOCKER, "", "", "", Map.of(), Resources.NONE, Resources.NONE, Allocation.NONE,
                NodeUsage.NONE, status, mode, null, false, false, null, Instant.EPOCH, Instant.EPOCH, 1, resourceVersion);
    }

    @Test
    void apply_takesNewerStatesOnly_andKeepsWhenTheNodeWasFirstHeard() {
        FleetState fleet = new FleetState();
        Instant start = clock.instant();
        fleet.apply(node("a", NodeStatus.READY, SchedulingMode.SCHEDULABLE, 5), start);
        clock.advance(Duration.ofSeconds(30));
        fleet.apply(node("a", NodeStatus.PENDING, SchedulingMode.SCHEDULABLE, 4), clock.instant());
        assertEquals(NodeStatus.READY, fleet.get("a").status(), "an older version changes nothing");
        fleet.apply(node("a", NodeStatus.READY, SchedulingMode.CORDONED, 6), clock.instant());
        assertEquals(SchedulingMode.CORDONED, fleet.get("a").mode());
        assertEquals(start, fleet.get("a").lastHeard(), "applying a state is not hearing from the node");
        fleet.remove("a");
        assertNull(fleet.get("a"));
    }

    @Test
    void heardElsewhere_movesTheLastHeardTimeForwardOnly() {
        FleetState fleet = new FleetState();
        Instant start = clock.instant();
        fleet.apply(node("a", NodeStatus.READY, SchedulingMode.SCHEDULABLE, 1), start);
        assertEquals(start, fleet.heardElsewhere("a", start.minusSeconds(5)));
        assertEquals(start, fleet.heardElsewhere("a", null));
        assertEquals(start.plusSeconds(3), fleet.heardElsewhere("a", start.plusSeconds(3)));
        assertNull(fleet.heardElsewhere("unknown", start));
    }

    @Test
    void heartbeats_areTakenOnceForWriting_andPutBackAfterAFailedWrite() {
        FleetState fleet = new FleetState();
        fleet.apply(node("a", NodeStatus.READY, SchedulingMode.SCHEDULABLE, 1), clock.instant());
        fleet.apply(node("b", NodeStatus.READY, SchedulingMode.SCHEDULABLE, 2), clock.instant());
        clock.advance(Duration.ofSeconds(1));
        fleet.heard("a", clock.instant(), new NodeUsage(1, 2, 3, 4));
        List<Heartbeat> batch = fleet.takeUnwritten();
        assertEquals(List.of(new Heartbeat("a", clock.instant(), new NodeUsage(1, 2, 3, 4))), batch);
        assertEquals(List.of(), fleet.takeUnwritten());
        fleet.unwritten(batch);
        assertEquals(batch, fleet.takeUnwritten());
        assertNull(fleet.heard("unknown", clock.instant(), NodeUsage.NONE));
    }
}
