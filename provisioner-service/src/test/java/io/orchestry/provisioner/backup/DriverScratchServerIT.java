package io.orchestry.provisioner.backup;

import io.orchestry.provisioner.domain.ComputeResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scratch server through the DatabaseDriver SPI, over real PostgreSQL 15 servers. */
class DriverScratchServerIT {
    private static final String V = PostgresCluster.VERSION;
    private static final ComputeResources LIMITS = new ComputeResources(500, 256L * 1024 * 1024);
    private ClusterDatabaseDriver driver;
    private int port;

    @BeforeEach
    void setUp() {
        PostgresCluster.requirePostgres();
        driver = new ClusterDatabaseDriver();
        port = PostgresCluster.freePort();
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private DriverScratchServer scratch() {
        return new DriverScratchServer(driver, version -> port, LIMITS, Duration.ofSeconds(30), Clock.systemUTC());
    }

    @Test
    void emptyDatabase_twice_twoEmptyDatabasesOnOneServer_droppedOnRelease() {
        DriverScratchServer scratch = scratch();
        ServerAddress a = scratch.emptyDatabase(V);
        ServerAddress b = scratch.emptyDatabase(V);

        assertNotEquals(a.database(), b.database());
        assertTrue(ScratchDatabases.NAME.matcher(a.database()).matches(), a.database());
        assertEquals(List.of("orchestry-scratch-15"), driver.list().stream().map(s -> s.name()).toList());
        assertEquals(1, driver.starts, "started once, then reused");
        assertEquals(port, a.port());
        assertEquals(0, PostgresCluster.queryLong(a, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        assertEquals(List.of(a.database(), b.database()).stream().sorted().toList(), verifyDatabases(scratch));

        scratch.release(a);
        scratch.release(b);
        scratch.release(b);
        assertEquals(List.of(), verifyDatabases(scratch));
    }

    @Test
    void emptyDatabase_serverAdoptedWithAnotherPassword_restartedWithOurs() {
        DriverScratchServer earlier = scratch();
        earlier.release(earlier.emptyDatabase(V));
        // a new provisioner: a new password; the driver adopts the running server as it is
        DriverScratchServer later = scratch();
        ServerAddress db = later.emptyDatabase(V);

        assertEquals(1, driver.stops, "stopped once to start with the new password");
        assertEquals(1, PostgresCluster.queryLong(db, "SELECT 1"));
        later.release(db);
        assertEquals(List.of(), verifyDatabases(later));
    }

    @Test
    void emptyDatabase_databasesAnEarlierProvisionerLeft_dropped() {
        DriverScratchServer earlier = scratch();
        ServerAddress left = earlier.emptyDatabase(V);
        DriverScratchServer later = scratch();
        ServerAddress db = later.emptyDatabase(V);
        assertEquals(List.of(db.database()), verifyDatabases(later), left.database() + " is dropped, ours is not");
        later.release(db);
    }

    @Test
    void emptyDatabase_serverStoppedMeanwhile_startedAgain() {
        DriverScratchServer scratch = scratch();
        scratch.release(scratch.emptyDatabase(V));
        driver.stop(DriverScratchServer.nameFor(V), Duration.ofSeconds(5));
        ServerAddress db = scratch.emptyDatabase(V);
        assertEquals(1, PostgresCluster.queryLong(db, "SELECT 1"));
        scratch.release(db);
    }

    @Test
    void release_notAScratchDatabase_refusedAndNothingDropped() {
        DriverScratchServer scratch = scratch();
        ServerAddress db = scratch.emptyDatabase(V);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scratch.release(db.withDatabase(DriverScratchServer.MAINTENANCE_DATABASE)));
        assertEquals("not a scratch database: scratch", e.getMessage());
        assertEquals(1, PostgresCluster.queryLong(db.withDatabase(DriverScratchServer.MAINTENANCE_DATABASE), "SELECT 1"));
        scratch.release(db);
    }

    @Test
    void close_removesTheServerAndItsData() {
        DriverScratchServer scratch = scratch();
        ServerAddress db = scratch.emptyDatabase(V);
        scratch.release(db);
        scratch.close();
        assertTrue(driver.list().isEmpty());
        assertFalse(driver.inspect(DriverScratchServer.nameFor(V)).isPresent());
    }

    @Test
    void backupRunner_overTheDriversScratchServer_verified(@TempDir Path folder) {
        try (PostgresCluster source = PostgresCluster.start()) {
            ServerAddress shop = source.createDatabase("shop");
            PostgresCluster.execute(shop, "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 42)");
            DriverScratchServer scratch = scratch();
            LocalBackupStore store = new LocalBackupStore(folder);
            PostgresTools tools = PostgresTools.debian();
            BackupRunner runner = new BackupRunner(new SnapshotDumper(tools, store, Duration.ofMinutes(1), Clock.systemUTC()),
                    new BackupVerifier(tools, store, scratch, Duration.ofMinutes(1)), Clock.systemUTC());

            BackupOutcome outcome = runner.run(shop, V, "through-driver", phase -> { });

            assertNull(outcome.error());
            assertEquals(BackupState.VERIFIED, outcome.state());
            assertEquals(42, outcome.rowCount());
            assertEquals(List.of(), verifyDatabases(scratch));
            assertTrue(Files.exists(store.readable("through-driver")));
        }
    }

    private static List<String> verifyDatabases(DriverScratchServer scratch) {
        ServerAddress admin = scratch.server(V);
        try (var c = admin.connect(30); var s = c.createStatement();
             var rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_%' ORDER BY 1")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
