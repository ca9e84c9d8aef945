package io.orchestry.provisioner.runtime.docker;

import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ContainerStatesTest {

    @ParameterizedTest
    @CsvSource({"created,CREATED", "running,RUNNING", "paused,RUNNING", "restarting,RUNNING", "removing,EXITED",
            "exited,EXITED", "dead,EXITED"})
    void state_ofTheEnginesWord(String status, WorkloadState expected) {
        assertEquals(expected, ContainerStates.state(status));
    }

    @ParameterizedTest
    @CsvSource(value = {
            "EXITED, true, '', 137, OOM killed",
            "EXITED, false, '', 3, exited with code 3",
            "EXITED, false, '', 0, ''",
            "RUNNING, false, '', null, ''",
            "EXITED, false, 'exec: \"nope\": executable file not found ', 127, 'exec: \"nope\": executable file not found'",
            "EXITED, true, engine says so, 137, engine says so"}, nullValues = "null")
    void error_saysHowItEnded(WorkloadState state, boolean oomKilled, String engineError, Integer exitCode,
                              String expected) {
        assertEquals(expected, ContainerStates.error(state, oomKilled, engineError, exitCode));
    }

    @Test
    void time_ofTheEnginesZeroTime_isNull_elseParsed() {
        assertNull(ContainerStates.time("0001-01-01T00:00:00Z"));
        assertNull(ContainerStates.time(""));
        assertNull(ContainerStates.time("yesterday"));
        assertEquals(Instant.parse("2026-12-01T23:05:10.5Z"), ContainerStates.time("2026-12-01T23:05:10.500000000Z"));
    }
}
