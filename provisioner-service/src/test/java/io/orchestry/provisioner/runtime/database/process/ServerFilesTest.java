package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.provisioner.runtime.database.DatabaseLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerFilesTest {
    private static final DatabaseLabels LABELS = new DatabaseLabels("shop", "15", Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    Path tmp;

    @Test
    void state_roundTrip_mode0600() throws Exception {
        ServerState state = new ServerState("orchestry-db-shop", 4242, 99, "127.0.0.1", 5433, "15", LABELS,
                Instant.parse("2026-02-02T10:00:00Z"), List.of("/sys/fs/cgroup/memory/x/cgroup.procs"), "pbkdf2-sha256:1:a:b");
        Path file = tmp.resolve("state.json");

        ServerFiles.writeState(file, state);

        assertEquals(Optional.of(state), ServerFiles.readState(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        ServerFiles.writeState(file, state); // rewrites over the old one
        assertEquals(Optional.of(state), ServerFiles.readState(file));
    }

    @Test
    void labels_roundTrip() throws Exception {
        Path file = tmp.resolve("labels.json");
        ServerFiles.writeLabels(file, LABELS);
        assertEquals(Optional.of(LABELS), ServerFiles.readLabels(file));
    }

    @Test
    void read_notOurs_orBroken_orMissing_isEmpty() throws Exception {
        Path foreign = Files.writeString(tmp.resolve("foreign.json"),
                "{\"name\":\"x\",\"pid\":1,\"labels\":{\"owner\":\"someone\"},\"startedAt\":\"2026-01-01T00:00:00Z\"}");
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"name\":");

        assertEquals(Optional.empty(), ServerFiles.readState(foreign));
        assertEquals(Optional.empty(), ServerFiles.readLabels(foreign));
        assertEquals(Optional.empty(), ServerFiles.readState(broken));
        assertEquals(Optional.empty(), ServerFiles.readState(tmp.resolve("missing.json")));
    }
}
