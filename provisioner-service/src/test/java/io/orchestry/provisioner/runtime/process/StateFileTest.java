package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.runtime.OwnerLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateFileTest {
    @Test
    void writeThenRead_roundTrips_exitedToo(@TempDir Path dir) throws Exception {
        OwnerLabels owner = new OwnerLabels("web", "shop", 3, "orchestry-web-3-0", Instant.parse("2026-01-01T00:00:00Z"));
        ProcessState state = new ProcessState("orchestry-web-3-0", 4242, 987654, List.of("/usr/bin/java", "-jar", "a b.jar"),
                "/tmp/w", Map.of("PORT", "5000", "QUOTE", "say \"hi\"\n"), List.of(new InstancePort("http", 5000)),
                "127.0.0.1", owner.asLabels(), "abc123", new ComputeResources(500, 1 << 28),
                List.of("/sys/fs/cgroup/memory/x/cgroup.procs"), Instant.parse("2026-01-01T00:00:01Z"), null, null, "");

        StateFile.write(dir, state);
        assertEquals(state, StateFile.read(dir).orElseThrow());

        ProcessState exited = state.exited(137, Instant.parse("2026-01-01T00:01:00Z"), "killed");
        StateFile.write(dir, exited);
        assertEquals(exited, StateFile.read(dir).orElseThrow());
        assertEquals(owner, OwnerLabels.from(StateFile.read(dir).orElseThrow().labels()).orElseThrow());
    }

    @Test
    void read_missingOrDamaged_isEmpty(@TempDir Path dir) throws Exception {
        assertTrue(StateFile.read(dir).isEmpty());
        Files.writeString(dir.resolve(StateFile.NAME), "{\"id\": \"x\", \"pid\": ");
        assertTrue(StateFile.read(dir).isEmpty());
    }
}
