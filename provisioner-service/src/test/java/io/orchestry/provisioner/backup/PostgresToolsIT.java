package io.orchestry.provisioner.backup;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding and running the real client tools of the machine's PostgreSQL 15. */
class PostgresToolsIT {
    private static final Path PG_DUMP = PostgresCluster.BIN.resolve("pg_dump");

    @BeforeEach
    void requirePostgres() {
        PostgresCluster.requirePostgres();
    }

    @Test
    void find_exactVersion_itsBinFolder() {
        assertEquals(PG_DUMP, PostgresTools.debian().find("pg_dump", "15"));
    }

    @Test
    void find_olderVersion_newestInstalledAtLeastThatVersion(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("13/bin"));
        Files.createDirectories(root.resolve("15/bin"));
        Files.createSymbolicLink(root.resolve("13/bin/pg_dump"), PG_DUMP);
        Files.createSymbolicLink(root.resolve("15/bin/pg_dump"), PG_DUMP);
        PostgresTools tools = new PostgresTools(List.of(root), List.of());
        assertEquals(root.resolve("15/bin/pg_dump"), tools.find("pg_dump", "14"));
        assertEquals(root.resolve("13/bin/pg_dump"), tools.find("pg_dump", "13"));
        assertEquals(root.resolve("15/bin/pg_dump"), tools.find("pg_dump", "9"));
    }

    @Test
    void find_newerVersionThanInstalled_clearError() {
        BackupException e = assertThrows(BackupException.class, () -> PostgresTools.debian().find("pg_dump", "16"));
        assertEquals("no pg_dump for PostgreSQL 16 or newer on this node (looked in [/usr/lib/postgresql] and [])",
                e.getMessage());
    }

    @Test
    void find_extraBinFolder_versionFromTheTool(@TempDir Path empty) {
        PostgresTools tools = new PostgresTools(List.of(empty), List.of(PostgresCluster.BIN));
        assertEquals(PG_DUMP, tools.find("pg_dump", "15"));
        assertThrows(BackupException.class, () -> tools.find("pg_dump", "16"));
    }

    @Test
    void find_notAVersion_rejected() {
        assertThrows(IllegalArgumentException.class, () -> PostgresTools.debian().find("pg_dump", "15; rm -rf /"));
    }

    @Test
    void run_failingTool_messageWithoutThePassword() {
        ServerAddress nowhere = new ServerAddress("127.0.0.1", PostgresCluster.freePort(), "x", "u", "Very-Secret-1");
        BackupException e = assertThrows(BackupException.class, () -> PostgresTools.debian().run("pg_dump", "15", nowhere,
                List.of("--schema-only", "--no-password"), Duration.ofSeconds(30)));
        assertTrue(e.getMessage().startsWith("pg_dump failed (exit 1): "), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertFalse(e.getMessage().contains("Very-Secret-1"));
    }
}
