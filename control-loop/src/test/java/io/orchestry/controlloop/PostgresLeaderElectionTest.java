package io.orchestry.controlloop;

import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.error.FailedPreconditionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The election against a real PostgreSQL, with a short interval (200 ms) so that failovers are
 * quick. Outcomes are awaited with a bounded poll; the times they took are logged, not asserted.
 */
class PostgresLeaderElectionTest {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeaderElectionTest.class);
    /** 200 ms unless -Dorchestry.test.election-interval-millis says otherwise (to measure at the 1 s default). */
    private static final Duration INTERVAL = Duration.ofMillis(Long.getLong("orchestry.test.election-interval-millis", 200));
    private static final String SCHEMA = "svc";
    private static final String NAME = "test-service";
    private static String url;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void database() throws SQLException {
        url = EmbeddedDatabase.shared().createDatabase("election_test");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + SCHEMA);
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + SCHEMA + ".leader_epoch");
            statement.execute("DROP TABLE IF EXISTS public.leader_epoch");
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedDatabase.shared().username(), EmbeddedDatabase.shared().password());
    }

    private PostgresLeaderElection contender(String replica) {
        return contender(replica, SCHEMA, NAME);
    }

    private PostgresLeaderElection contender(String replica, String schema, String name) {
        PostgresLeaderElection election = new PostgresLeaderElection(name, url, EmbeddedDatabase.shared().username(),
                EmbeddedDatabase.shared().password(), schema, INTERVAL, Duration.ofSeconds(1), replica, null);
        cleanup.add(election);
        return election;
    }

    /** Polls until the condition holds, for at most 15 s; returns how long it took. */
    private static Duration await(String what, BooleanSupplier condition) throws InterruptedException {
        long began = System.nanoTime();
        long deadline = began + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(10);
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    private static void terminateSessionOf(String replica) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement kill = connection.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            kill.setString(1, "orchestry leader election " + NAME + " " + replica);
            try (ResultSet rows = kill.executeQuery()) {
                assertTrue(rows.next(), "the leader's session was found");
            }
        }
    }

    @Test
    void twoContenders_exactlyOneLeads_andTheOtherReportsIt() throws Exception {
        PostgresLeaderElection a = contender("host/1");
        PostgresLeaderElection b = contender("host/2");
        a.start();
        b.start();

        await("one leads", () -> a.isLeader() || b.isLeader());
        PostgresLeaderElection leader = a.isLeader() ? a : b;
        PostgresLeaderElection follower = leader == a ? b : a;
        await("the follower sees the leader", () -> follower.leaderReplica().isPresent());

        assertFalse(follower.isLeader());
        assertEquals(Optional.of(leader.replica()), follower.leaderReplica());
        assertEquals(leader.epoch(), follower.epoch());
        assertEquals(leader.epoch(), leader.heldEpoch());
        assertEquals(0, follower.heldEpoch());
        assertTrue(leader.acquiredAt().isPresent());
        assertTrue(leader.electionEnabled());
        Leadership.Snapshot seen = leader.snapshot();
        assertEquals(new Leadership.Snapshot(true, true, leader.epoch(), leader.replica(), leader.acquiredAt().get()), seen);
        assertFalse(follower.snapshot().leader());
        assertEquals(Optional.of(leader.replica()), follower.snapshot().leaderReplica());
    }

    @Test
    void otherSchemaOrName_isAnotherElection() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS other");
        }
        PostgresLeaderElection a = contender("host/1");
        PostgresLeaderElection otherSchema = contender("host/2", "other", NAME);
        PostgresLeaderElection otherName = contender("host/3", SCHEMA, "another-service");
        a.start();
        otherSchema.start();
        otherName.start();

        await("all three lead", () -> a.isLeader() && otherSchema.isLeader() && otherName.isLeader());
    }

    @Test
    void leadersSessionTerminated_theOtherLeads_andTheOldEpochIsFenced() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        PostgresLeaderElection a = contender("host/1");
        a.addListener(recording("a", events));
        a.start();
        await("a leads", a::isLeader);
        long first = a.epoch();
        PostgresLeaderElection b = contender("host/2");
        b.addListener(recording("b", events));
        Controller<String> loopOfA = Controller.periodic("loop-a", Duration.ofHours(1), () -> { });
        Controller<String> loopOfB = Controller.periodic("loop-b", Duration.ofHours(1), () -> { });
        cleanup.add(LeaderGate.of(a, loopOfA));
        cleanup.add(LeaderGate.of(b, loopOfB));
        b.start();
        await("b follows a", () -> b.leaderReplica().isPresent());
        assertTrue(loopOfA.isRunning());
        assertFalse(loopOfB.isRunning());

        long killed = System.nanoTime();
        terminateSessionOf("host/1");
        await("b leads", b::isLeader);
        Duration failover = Duration.ofNanos(System.nanoTime() - killed);
        await("a knows it is deposed", () -> !a.isLeader());
        await("a's loop stops", () -> !loopOfA.isRunning());
        assertTrue(loopOfB.isRunning(), "b's loop runs");
        LOG.info("MEASURED failover after pg_terminate_backend of the leader's session: {} ms (interval {} ms)",
                failover.toMillis(), INTERVAL.toMillis());

        assertTrue(b.epoch() > first, "epoch " + b.epoch() + " after " + first);
        assertTrue(events.containsAll(List.of("a elected " + first, "a deposed", "b elected " + b.epoch())), events.toString());
        try (Connection tx = connect()) {
            tx.setSchema(SCHEMA); // before the transaction: a rollback would undo it
            tx.setAutoCommit(false);
            assertThrows(FailedPreconditionException.class, () -> Fence.check(tx, NAME, first));
            tx.rollback();
            Fence.check(tx, NAME, b.heldEpoch());
            Fence.check(tx, b);
            assertThrows(FailedPreconditionException.class, () -> Fence.check(tx, a), "a deposed replica holds no epoch");
            tx.rollback();
        }
        await("a follows b", () -> a.leaderReplica().equals(Optional.of("host/2")));
    }

    @Test
    void epochRowMovedOn_theLeaderDeposesItself() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        PostgresLeaderElection a = contender("host/1");
        a.addListener(recording("a", events));
        a.start();
        await("a leads", a::isLeader);
        long first = a.epoch();

        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE " + SCHEMA + ".leader_epoch SET epoch = epoch + 1, holder = 'elsewhere/9'");
        }

        await("a sees the row is no longer its own", () -> events.contains("a deposed"));
        await("a leads again on a new session, with a new epoch", () -> a.isLeader() && a.epoch() > first + 1);
    }

    @Test
    void fenceCheck_withNoLeaderEpochTable_isAFailedPreconditionNamingTheSchema() throws Exception {
        try (Connection tx = connect()) {
            tx.setSchema(SCHEMA); // no election has run here in this test: no table
            tx.setAutoCommit(false);
            FailedPreconditionException refused = assertThrows(FailedPreconditionException.class, () -> Fence.check(tx, NAME, 1));
            assertTrue(refused.getMessage().contains("no leader_epoch table"), refused.getMessage());
            tx.rollback();
        }
        PostgresLeaderElection elsewhere = contender("host/1", "public", NAME); // elected in another schema
        elsewhere.start();
        await("it leads", elsewhere::isLeader);
        try (Connection tx = connect()) {
            tx.setSchema(SCHEMA);
            tx.setAutoCommit(false);
            FailedPreconditionException refused = assertThrows(FailedPreconditionException.class, () -> Fence.check(tx, elsewhere));
            assertTrue(refused.getMessage().contains("runs in schema public"), refused.getMessage());
            tx.rollback();
        }
    }

    @Test
    void fenceCheck_keepsANewLeaderFromAcquiringUntilTheFencedWriteEnds() throws Exception {
        PostgresLeaderElection a = contender("host/1");
        a.start();
        await("a leads", a::isLeader);
        PostgresLeaderElection b = contender("host/2");
        b.start();
        await("b follows a", () -> b.leaderReplica().isPresent());

        try (Connection tx = connect()) {
            tx.setSchema(SCHEMA); // before the transaction: a rollback would undo it
            tx.setAutoCommit(false);
            Fence.check(tx, NAME, a.heldEpoch()); // a's write, in flight
            terminateSessionOf("host/1");
            await("b waits on the row a's write has locked", () -> waitsOnALock("host/2"));
            assertFalse(b.isLeader(), "no acquisition commits under a fenced write");
            tx.commit();
        }
        await("b leads once the write is done", b::isLeader);
    }

    @Test
    void gracefulClose_releasesTheLock_andTheEpochGrowsOnEveryAcquisition() throws Exception {
        PostgresLeaderElection a = contender("host/1");
        a.start();
        await("a leads", a::isLeader);
        PostgresLeaderElection b = contender("host/2");
        b.start();
        await("b follows a", () -> b.leaderReplica().isPresent());
        long first = a.epoch();

        long closed = System.nanoTime();
        a.close();
        await("b leads", b::isLeader);
        LOG.info("MEASURED handover after a graceful close: {} ms", (System.nanoTime() - closed) / 1_000_000);
        assertEquals(first + 1, b.epoch());

        PostgresLeaderElection c = contender("host/3");
        c.start();
        await("c follows b", () -> c.leaderReplica().isPresent());
        b.close();
        await("c leads", c::isLeader);
        assertEquals(first + 2, c.epoch());
    }

    @Test
    void leaderProcessKilled_theOtherLeads() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", classPath, "-Xmx64m", LeaderProcess.class.getName(),
                url, EmbeddedDatabase.shared().username(), EmbeddedDatabase.shared().password(), SCHEMA, NAME,
                Long.toString(INTERVAL.toMillis()), "child/1")
                .redirectErrorStream(true).start();
        cleanup.add(child::destroyForcibly);
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String elected = CompletableFuture.supplyAsync(() -> firstLine(output, "ELECTED")).get(60, TimeUnit.SECONDS);
        long childEpoch = Long.parseLong(elected.substring("ELECTED ".length()).trim());

        PostgresLeaderElection b = contender("host/2");
        b.start();
        await("b follows the child", () -> b.leaderReplica().equals(Optional.of("child/1")));
        assertFalse(b.isLeader());

        long killed = System.nanoTime();
        child.destroyForcibly(); // SIGKILL: no graceful close, the kernel closes its socket
        await("b leads", b::isLeader);
        LOG.info("MEASURED failover after kill -9 of the leading process: {} ms (interval {} ms)",
                (System.nanoTime() - killed) / 1_000_000, INTERVAL.toMillis());
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals(childEpoch + 1, b.epoch());
    }

    @Test
    void leaderProcessPaused_theServerDropsItsSession_andTheOtherLeads() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", classPath, "-Xmx64m", LeaderProcess.class.getName(),
                url, EmbeddedDatabase.shared().username(), EmbeddedDatabase.shared().password(), SCHEMA, NAME,
                Long.toString(INTERVAL.toMillis()), "child/2")
                .redirectErrorStream(true).start();
        cleanup.add(child::destroyForcibly); // SIGKILL ends a stopped process too
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String elected = CompletableFuture.supplyAsync(() -> firstLine(output, "ELECTED")).get(60, TimeUnit.SECONDS);
        long childEpoch = Long.parseLong(elected.substring("ELECTED ".length()).trim());
        PostgresLeaderElection b = contender("host/2");
        b.start();
        await("b follows the child", () -> b.leaderReplica().equals(Optional.of("child/2")));

        long paused = System.nanoTime();
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).start();
        assertTrue(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0, "SIGSTOP sent");
        await("b leads: the server dropped the paused leader's idle session", b::isLeader);
        LOG.info("MEASURED failover after SIGSTOP of the leading process: {} ms (interval {} ms)",
                (System.nanoTime() - paused) / 1_000_000, INTERVAL.toMillis());
        assertEquals(childEpoch + 1, b.epoch());
    }

    private static String firstLine(BufferedReader output, String prefix) {
        try {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                LOG.info("child: {}", line);
            }
            throw new AssertionError("the child ended without " + prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean waitsOnALock(String replica) {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'")) {
            query.setString(1, "orchestry leader election " + NAME + " " + replica);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LeadershipListener recording(String who, List<String> events) {
        return new LeadershipListener() {
            @Override
            public void elected(long epoch) {
                events.add(who + " elected " + epoch);
            }

            @Override
            public void deposed() {
                events.add(who + " deposed");
            }
        };
    }
}
