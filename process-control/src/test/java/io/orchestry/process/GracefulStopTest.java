package io.orchestry.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GracefulStopTest {
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (ProcessHandle p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private Process start(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process.toHandle());
        return process;
    }

    /** A shell that says "ready" once its traps are set, so the test never races them. */
    private Process startAndAwaitReady(String script) throws Exception {
        Process process = new ProcessBuilder("setsid", "sh", "-c", script + " & echo ready; wait").start();
        started.add(process.toHandle());
        String ready = new String(process.getInputStream().readNBytes(6));
        assertEquals("ready\n", ready);
        return process;
    }

    @Test
    void stop_processThatExitsOnSigterm_endsWithinTheGrace() throws Exception {
        Process sleeper = start("sleep", "60");

        assertTrue(GracefulStop.stop(sleeper.toHandle(), Duration.ofSeconds(20)));
        assertTrue(sleeper.waitFor(5, TimeUnit.SECONDS));
        assertEquals(143, sleeper.exitValue());
    }

    @Test
    void stop_groupLeaderIgnoringSigterm_killsTheWholeGroupAfterTheGrace() throws Exception {
        // the leader ignores TERM, and so does its child (ignored signals are inherited)
        Process leader = startAndAwaitReady("trap '' TERM; sleep 60");
        List<ProcessHandle> children = leader.descendants().toList();
        assertFalse(children.isEmpty());

        assertFalse(GracefulStop.stop(leader.toHandle(), Duration.ofMillis(300)));

        assertTrue(leader.waitFor(5, TimeUnit.SECONDS));
        assertEquals(137, leader.exitValue());
        for (ProcessHandle child : children) {
            child.onExit().get(5, TimeUnit.SECONDS);
            assertFalse(child.isAlive());
        }
    }

    @Test
    void stop_alreadyGone_isTrue() throws Exception {
        Process done = start("true");
        done.waitFor(5, TimeUnit.SECONDS);

        assertTrue(GracefulStop.stop(done.toHandle(), Duration.ofSeconds(1)));
    }
}
