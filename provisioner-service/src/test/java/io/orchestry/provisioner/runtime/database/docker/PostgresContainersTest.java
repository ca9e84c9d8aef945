package io.orchestry.provisioner.runtime.database.docker;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresContainersTest {
    private static final DatabaseServerSpec SPEC = new DatabaseServerSpec("orchestry-db-shop", "shop", "15", 15432,
            "shop", "app", "s3cret'pw", new ComputeResources(1500, 256L * 1024 * 1024), 0,
            Instant.parse("2026-01-01T00:00:00Z"));

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "orchestry/postgres:15, 15",
            "orchestry/postgres:16, 16",
            "orchestry/postgres:latest, null",
            "orchestry/postgres:15.4, null",
            "orchestry/postgres:015, null",
            "other/postgres:15, null",
            "orchestry/postgresql:15, null"})
    void versionOf_onlyMajorTagsOfOurRepository(String repoTag, String version) {
        assertEquals(Optional.ofNullable(version), PostgresContainers.versionOf(repoTag));
    }

    @Test
    void env_namesUserDatabaseAndPasswordFile_neverThePassword() {
        List<String> env = PostgresContainers.env(SPEC);

        assertEquals(List.of("ORCHESTRY_REMOVE_PASSWORD_FILE=true", "POSTGRES_DB=shop",
                "POSTGRES_PASSWORD_FILE=/run/orchestry-postgres-password", "POSTGRES_USER=app"), env);
        assertTrue(env.stream().noneMatch(pair -> pair.contains(SPEC.password())));
    }

    @Test
    void args_areTheSettingsForTheMemoryLimit_asDashC() {
        List<String> args = PostgresContainers.args(SPEC);

        assertEquals("-c", args.get(0));
        assertEquals("shared_buffers=65536kB", args.get(1));
        assertTrue(args.contains("password_encryption=scram-sha-256"), args.toString());
        assertEquals(0, args.size() % 2);
    }

    @Test
    void limits_memoryAndNanoCpus() {
        assertEquals(256L * 1024 * 1024, PostgresContainers.memoryBytes(SPEC));
        assertEquals(1_500_000_000L, PostgresContainers.nanoCpus(SPEC));
    }

    @Test
    void unusablePassword_controlCharactersRefused_withoutQuotingThePassword() {
        for (String usable : List.of("plain-password", "it's \"quoted\" \\ $HOME `x`", "é ü")) {
            assertEquals(Optional.empty(), PostgresContainers.unusablePassword(usable), usable);
        }
        for (String unusable : List.of("", "two\nlines", "tab\there", "nul\u0000")) {
            Optional<String> why = PostgresContainers.unusablePassword(unusable);
            assertTrue(why.isPresent(), unusable);
            assertTrue(unusable.isEmpty() || !why.get().contains(unusable), why.get());
        }
    }

    @Test
    void passwordArchive_isOneRootOwnedPrivateFile_holdingThePasswordLine() throws Exception {
        byte[] tar = PostgresContainers.passwordArchive("s3cret'pw");

        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry = in.getNextEntry();
            assertEquals(PostgresContainers.PASSWORD_FILE, entry.getName());
            assertEquals(0600, entry.getMode() & 0777);
            assertEquals(0, entry.getLongUserId());
            assertEquals("s3cret'pw\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertNull(in.getNextEntry());
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "2026-12-02T06:04:50.123456789Z, 2026-12-02T06:04:50.123456789Z",
            "0001-01-01T00:00:00Z, null",
            "not a time, null"})
    void time_engineTimes_zeroTimeIsNever(String value, String expected) {
        assertEquals(expected == null ? null : Instant.parse(expected), PostgresContainers.time(value));
    }
}
