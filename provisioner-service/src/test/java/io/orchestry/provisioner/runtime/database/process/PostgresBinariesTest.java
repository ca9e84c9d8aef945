package io.orchestry.provisioner.runtime.database.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PostgresBinariesTest {
    @TempDir
    Path tmp;

    private Path bin(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String name : names) {
            Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    @Test
    void find_debianFoldersAndConfiguredOnes_byMajor_debianFirst_incompleteFoldersIgnored() throws IOException {
        Path root = tmp.resolve("postgresql");
        Path debian15 = bin(root.resolve("15").resolve("bin"), "initdb", "pg_ctl", "postgres", "psql");
        bin(root.resolve("14").resolve("bin"), "initdb", "postgres"); // no pg_ctl
        Files.createDirectories(root.resolve("README")); // not a version
        Path embedded16 = bin(tmp.resolve("embedded").resolve("bin"), "initdb", "pg_ctl", "postgres");
        Path other15 = bin(tmp.resolve("other").resolve("bin"), "initdb", "pg_ctl", "postgres");
        Map<Path, String> versions = Map.of(embedded16, "postgres (PostgreSQL) 16.4", other15, "postgres (PostgreSQL) 15.2");

        PostgresBinaries found = PostgresBinaries.find(root, List.of(embedded16, other15, tmp.resolve("missing")),
                dir -> Optional.ofNullable(versions.get(dir)));

        assertEquals(Set.of("15", "16"), found.versions());
        assertEquals(Optional.of(debian15), found.bin("15"));
        assertEquals(Optional.of(embedded16), found.bin("16"));
        assertEquals(Optional.empty(), found.bin("14"));
        assertEquals(Optional.empty(), found.bin("9"));
    }

    @Test
    void find_noPostgresAnywhere_noVersions() {
        assertEquals(Set.of(), PostgresBinaries.find(tmp.resolve("none"), List.of(), dir -> Optional.empty()).versions());
    }

    @Test
    void find_aConfiguredFolderWhoseVersionCannotBeTold_isIgnored() throws IOException {
        Path broken = bin(tmp.resolve("broken"), "initdb", "pg_ctl", "postgres");
        assertEquals(Set.of(), PostgresBinaries.find(tmp.resolve("none"), List.of(broken), dir -> Optional.of("garbage")).versions());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)|15",
            "postgres (PostgreSQL) 16.4|16",
            "postgres (PostgreSQL) 17beta1|17",
            "postgres (PostgreSQL) 9.6.24|9.6",
    })
    void major_ofVersionOutput(String output, String major) {
        assertEquals(Optional.of(major), PostgresBinaries.major(output));
    }

    @Test
    void major_ofSomethingElse_isEmpty() {
        assertEquals(Optional.empty(), PostgresBinaries.major("bash: postgres: command not found"));
    }
}
