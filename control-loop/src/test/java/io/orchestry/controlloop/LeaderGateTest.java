package io.orchestry.controlloop;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderGateTest {

    @Test
    void of_startsTheControllersOfALeader_andStopsThemWhenDeposed() {
        SoloLeadership leadership = new SoloLeadership("test", "host/1");
        Controller<String> loop = Controller.periodic("gated", Duration.ofHours(1), () -> { });

        LeaderGate gate = LeaderGate.of(leadership, loop);
        assertTrue(loop.isRunning(), "started at once: this replica leads already");
        Leadership.Snapshot solo = leadership.snapshot();
        assertFalse(solo.electionEnabled());
        assertTrue(solo.leader());
        assertTrue(solo.leaderReplica().isPresent());

        leadership.close(); // deposed
        assertFalse(loop.isRunning());
        gate.close();
    }

    @Test
    void close_stopsTheControllers() {
        SoloLeadership leadership = new SoloLeadership("test", "host/1");
        Controller<String> loop = Controller.periodic("gated", Duration.ofHours(1), () -> { });
        LeaderGate gate = LeaderGate.of(leadership, loop);

        gate.close();

        assertFalse(loop.isRunning());
    }
}
