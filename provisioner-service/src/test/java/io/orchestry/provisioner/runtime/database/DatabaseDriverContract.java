package io.orchestry.provisioner.runtime.database;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link DatabaseDriver} owes its caller, checked against real PostgreSQL servers (local processes, Docker
 * containers): a real login with the spec's credentials, rows written and read back across stops, kills, kept data and
 * new passwords. Each driver's integration test extends it; every server a case starts is destroyed with its data after
 * the case, even when it fails, and {@link #removeLeftovers} is the subclass's last word for what a broken driver might
 * have left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatabaseDriverContract {
    /** Bounded waits for real asynchronous outcomes (a server starting, a killed one observed); never for time to pass. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final ComputeResources LIMITS = new ComputeResources(500, 256L * 1024 * 1024);

    private final List<String> started = new ArrayList<>();

    /** The driver under test, the same for every case of the class. */
    protected abstract DatabaseDriver driver();

    /** A major version the node has (e.g. "15"). */
    protected abstract String version();

    /** A port free on the node's address, a different one at every call within a case. */
    protected abstract int freePort() throws Exception;

    /** Kills the server's process or container behind the driver's back (SIGKILL, as the OOM killer would). */
    protected abstract void killServer(String name) throws Exception;

    /** Fails when anything of the server is left on the node: a process, container, volume, data folder, file. */
    protected abstract void assertNothingLeft(String name) throws Exception;

    /** Something on the node that is not ours: whether it is still there untouched, and what removes it. */
    protected interface Foreign extends AutoCloseable {
        boolean intact() throws Exception;
    }

    /**
     * Makes something on the node by that server name that is not ours (a container without our labels, a server
     * folder without our state) and returns it.
     */
    protected abstract Foreign makeForeign(String name) throws Exception;

    /** Removes whatever a broken driver may have left for this server (a process, a container, a folder). */
    protected abstract void removeLeftovers(String name) throws Exception;

    @AfterEach
    void destroyStarted() throws Exception {
        for (String name : started) {
            try {
                driver().destroy(name, false);
            } finally {
                removeLeftovers(name);
            }
        }
        started.clear();
    }

    // ---- the cases

    @Test
    void versions_holdTheVersionUnderTest() {
        assertTrue(driver().versions().contains(version()), driver().versions().toString());
    }

    @Test
    void start_loginWithTheSpecsCredentials_thenWriteAndRead_databaseOwnedByTheUser() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "first-" + UUID.randomUUID());
        DatabaseServer server = start(spec);

        assertEquals(spec.name(), server.name());
        assertEquals(spec.port(), server.port());
        assertEquals(spec.labels(), server.labels());
        assertTrue(server.running(), server.detail());
        assertNotNull(server.startedAt());
        awaitReady(server, spec);
        writeRows(server, spec, spec.password(), 3);
        assertEquals(3, countRows(server, spec, spec.password()));
        try (Connection c = connect(server, spec, spec.password()); Statement s = c.createStatement();
             ResultSet owner = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) {
            assertTrue(owner.next());
            assertEquals(spec.username(), owner.getString(1));
        }
        DatabaseServer inspected = driver().inspect(spec.name()).orElseThrow();
        assertTrue(inspected.running());
        assertEquals(spec.labels(), inspected.labels());
        assertEquals(server.host(), inspected.host());
    }

    @Test
    void login_withAWrongPassword_isRefused() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "right-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);

        assertNotNull(DatabaseReadiness.check(server.host(), server.port(), spec.databaseName(), spec.username(),
                "wrong-" + UUID.randomUUID(), Duration.ofSeconds(5)));
    }

    @Test
    void stop_thenStart_rowsStillThere() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);
        writeRows(server, spec, spec.password(), 5);

        driver().stop(spec.name(), Duration.ofSeconds(20));
        DatabaseServer stopped = driver().inspect(spec.name()).orElseThrow();
        assertFalse(stopped.running());
        assertNull(stopped.startedAt());
        assertTrue(driver().list().stream().anyMatch(s -> s.name().equals(spec.name()) && !s.running()));
        driver().stop(spec.name(), Duration.ofSeconds(1)); // stopping a stopped server is no error

        DatabaseServer again = driver().start(spec);
        assertTrue(again.running(), again.detail());
        awaitReady(again, spec);
        assertEquals(5, countRows(again, spec, spec.password()));
    }

    @Test
    void serverKilledBehindTheDriversBack_inspectShowsNotRunning_startBringsTheRowsBack() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);
        writeRows(server, spec, spec.password(), 4);

        killServer(spec.name());
        awaitTrue(() -> driver().inspect(spec.name()).map(s -> !s.running()).orElse(false),
                "the killed server shows as not running");
        assertTrue(driver().inspect(spec.name()).isPresent(), "its storage is still there");

        DatabaseServer restarted = driver().start(spec);
        assertTrue(restarted.running(), restarted.detail());
        awaitReady(restarted, spec);
        assertEquals(4, countRows(restarted, spec, spec.password()));
    }

    @Test
    void destroyKeepingData_thenStartWithANewPassword_rowsThere_newPasswordWorks_oldOneFails() throws Exception {
        String project = uniqueProject();
        DatabaseServerSpec first = spec(project, freePort(), "old-" + UUID.randomUUID());
        DatabaseServer server = start(first);
        awaitReady(server, first);
        writeRows(server, first, first.password(), 6);

        driver().destroy(first.name(), true);
        assertTrue(driver().inspect(first.name()).map(s -> !s.running()).orElse(true), "no server runs after destroy");

        DatabaseServerSpec second = spec(project, first.port(), "new-" + UUID.randomUUID());
        DatabaseServer again = driver().start(second);
        awaitReady(again, second);
        assertEquals(6, countRows(again, second, second.password()));
        assertNotNull(DatabaseReadiness.check(again.host(), again.port(), second.databaseName(), second.username(),
                first.password(), Duration.ofSeconds(5)), "the old password must not log in any more");
    }

    @Test
    void destroy_removesEverything_andIsIdempotent() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);
        writeRows(server, spec, spec.password(), 1);

        driver().destroy(spec.name(), false);
        assertEquals(Optional.empty(), driver().inspect(spec.name()));
        assertFalse(driver().list().stream().anyMatch(s -> s.name().equals(spec.name())));
        assertNothingLeft(spec.name());
        driver().destroy(spec.name(), false);
        driver().destroy(spec.name(), true);
        driver().stop(spec.name(), Duration.ofSeconds(1));
    }

    @Test
    void destroyedWithoutData_thenStartedAgain_isANewEmptyCluster() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);
        writeRows(server, spec, spec.password(), 2);
        driver().destroy(spec.name(), false);

        DatabaseServer fresh = driver().start(spec);
        awaitReady(fresh, spec);
        try (Connection c = connect(fresh, spec, spec.password()); Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'contract_rows'")) {
            assertTrue(tables.next());
            assertEquals(0, tables.getInt(1));
        }
    }

    @Test
    void unknownVersion_isNotOnNode_andNothingIsLeft() throws Exception {
        DatabaseServerSpec spec = withVersion(spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID()), "9");
        track(spec.name());

        NotOnNodeException refused = assertThrows(NotOnNodeException.class, () -> driver().start(spec));
        assertTrue(refused.getMessage().contains("9"), refused.getMessage());
        assertFalse(refused.getMessage().contains(spec.password()));
        assertEquals(Optional.empty(), driver().inspect(spec.name()));
        assertNothingLeft(spec.name());
    }

    @Test
    void keptData_thenAStartThatFails_neverRemovesTheDataItFound() throws Exception {
        String project = uniqueProject();
        DatabaseServerSpec spec = spec(project, freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);
        writeRows(server, spec, spec.password(), 7);
        driver().destroy(spec.name(), true);

        assertThrows(NotOnNodeException.class, () -> driver().start(withVersion(spec, "9")));

        DatabaseServer again = driver().start(spec);
        awaitReady(again, spec);
        assertEquals(7, countRows(again, spec, spec.password()));
    }

    @Test
    void list_showsOurServersOnly_withTheirLabels() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        start(spec);
        String foreignName = DatabaseServerSpec.nameFor(uniqueProject());
        try (Foreign foreign = makeForeign(foreignName)) {
            List<DatabaseServer> listed = driver().list();

            assertTrue(listed.stream().anyMatch(s -> s.name().equals(spec.name()) && spec.labels().equals(s.labels())),
                    listed.toString());
            assertFalse(listed.stream().anyMatch(s -> s.name().equals(foreignName)), listed.toString());
            assertTrue(listed.stream().allMatch(s -> s.labels() != null && s.name().equals(DatabaseServerSpec.nameFor(s.labels().project()))),
                    listed.toString());
            assertEquals(Optional.empty(), driver().inspect(foreignName));
            driver().stop(foreignName, Duration.ofSeconds(1));
            driver().destroy(foreignName, false);
            assertTrue(foreign.intact(), "stop and destroy never touch what is not ours");
        }
    }

    @Test
    void twoServersAtOnce_onTwoPorts_eachWithItsOwnData() throws Exception {
        DatabaseServerSpec a = spec(uniqueProject(), freePort(), "a-" + UUID.randomUUID());
        DatabaseServerSpec b = spec(uniqueProject(), freePort(), "b-" + UUID.randomUUID());
        assertNotEquals(a.port(), b.port());
        DatabaseServer serverA = start(a);
        DatabaseServer serverB = start(b);
        awaitReady(serverA, a);
        awaitReady(serverB, b);

        writeRows(serverA, a, a.password(), 2);
        writeRows(serverB, b, b.password(), 9);
        assertEquals(2, countRows(serverA, a, a.password()));
        assertEquals(9, countRows(serverB, b, b.password()));
        assertNotNull(DatabaseReadiness.check(serverA.host(), serverA.port(), a.databaseName(), a.username(),
                b.password(), Duration.ofSeconds(5)), "one server's password must not open the other");
        Set<String> names = Set.copyOf(driver().list().stream().map(DatabaseServer::name).toList());
        assertTrue(names.containsAll(Set.of(a.name(), b.name())), names.toString());
    }

    @Test
    void startTwice_adoptsTheRunningServer_sameStartedAt() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer first = start(spec);
        awaitReady(first, spec);
        writeRows(first, spec, spec.password(), 1);

        DatabaseServer second = driver().start(spec);
        assertTrue(second.running());
        assertEquals(first.startedAt(), second.startedAt());
        awaitReady(second, spec);
        assertEquals(1, countRows(second, spec, spec.password()));
        assertEquals(1, driver().list().stream().filter(s -> s.name().equals(spec.name())).count());
    }

    // ---- helpers for subclasses and cases

    /** A project name unique to this run (a DNS label, as the registry allows). */
    protected static String uniqueProject() {
        return "ct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A server spec of the version under test; the database is named after the project (a hyphen: drivers must quote). */
    protected DatabaseServerSpec spec(String project, int port, String password) {
        return new DatabaseServerSpec(DatabaseServerSpec.nameFor(project), project, version(), port, project, "app",
                password, LIMITS, 0, CREATED);
    }

    protected static DatabaseServerSpec withVersion(DatabaseServerSpec s, String version) {
        return new DatabaseServerSpec(s.name(), s.project(), version, s.port(), s.databaseName(), s.username(),
                s.password(), s.limits(), s.storageBytes(), s.createdAt());
    }

    /** Starts the server and destroys it (with its data) after the case. */
    protected DatabaseServer start(DatabaseServerSpec spec) {
        track(spec.name());
        return driver().start(spec);
    }

    protected void track(String name) {
        if (!started.contains(name)) {
            started.add(name);
        }
    }

    protected static void awaitReady(DatabaseServer server, DatabaseServerSpec spec) {
        String why = DatabaseReadiness.await(server.host(), server.port(), spec.databaseName(), spec.username(),
                spec.password(), WAIT, Duration.ofMillis(100), Clock.systemUTC());
        assertNull(why, "the server should accept the spec's credentials");
    }

    protected static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    protected static Connection connect(DatabaseServer server, DatabaseServerSpec spec, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", spec.username());
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(DatabaseReadiness.url(server.host(), server.port(), spec.databaseName()), props);
    }

    protected static void writeRows(DatabaseServer server, DatabaseServerSpec spec, String password, int rows) throws SQLException {
        try (Connection c = connect(server, spec, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS contract_rows (id int PRIMARY KEY, note text NOT NULL)");
            for (int i = 1; i <= rows; i++) {
                s.execute("INSERT INTO contract_rows VALUES (" + i + ", 'row " + i + "')");
            }
        }
    }

    protected static int countRows(DatabaseServer server, DatabaseServerSpec spec, String password) throws SQLException {
        try (Connection c = connect(server, spec, password); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(id), 0) FROM contract_rows")) {
            assertTrue(r.next());
            int count = r.getInt(1);
            assertEquals((long) count * (count + 1) / 2, r.getLong(2), "the rows written, not others");
            return count;
        }
    }
}
