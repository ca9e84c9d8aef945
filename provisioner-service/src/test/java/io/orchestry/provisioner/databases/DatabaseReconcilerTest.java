package io.orchestry.provisioner.databases;

import io.orchestry.controlloop.Result;
import io.orchestry.controlloop.SettableClock;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.error.NotFoundException;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Database;
import io.orchestry.provisioner.domain.DatabaseSecrets;
import io.orchestry.provisioner.domain.DatabaseState;
import io.orchestry.provisioner.domain.DatabaseStatus;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.Projects;
import io.orchestry.provisioner.fakes.FakeDatabaseDriver;
import io.orchestry.provisioner.fakes.FakeDatabaseDriverFactory;
import io.orchestry.provisioner.fakes.FakeDatabaseRepository;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.secrets.SecretCipher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database reconciler over a fake driver and repository, time moved by hand. Readiness is a real login: a
 * database that must become READY points at the shared embedded PostgreSQL with its credentials; one that must not
 * points at a port where nothing listens.
 */
class DatabaseReconcilerTest {
    private static final String NODE = "node-a";
    private final SettableClock clock = new SettableClock();
    private final FakeDatabaseRepository rows = new FakeDatabaseRepository();
    private final FakeDatabaseDriverFactory factory = new FakeDatabaseDriverFactory(DriverKind.PROCESS, clock);
    private final FakeDatabaseDriver driver = factory.driver(NODE);
    private final Set<String> projects = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> holds = new ConcurrentHashMap<>();
    private final DatabaseSecrets secrets = new DatabaseSecrets(SecretCipher.fromConfig(null, "k", true));
    private DatabaseReconciler reconciler;

    @BeforeEach
    void setUp() {
        FakeFleet fleet = new FakeFleet(Fixtures.node(NODE));
        Projects registry = new Projects() {
            @Override
            public void requireExists(String project) {
                organizationOf(project);
            }

            @Override
            public String organizationOf(String project) {
                if (!projects.contains(project)) {
                    throw new NotFoundException("project", project);
                }
                return "org";
            }

            @Override
            public void hold(String project, String holder, boolean held) {
                organizationOf(project);
                holds.put(project, held);
            }
        };
        reconciler = new DatabaseReconciler(rows, fleet, new Drivers(List.of(), List.of(factory)), registry, secrets,
                Duration.ofSeconds(30), clock);
    }

    /** A CREATING database that answers at the shared embedded PostgreSQL with its credentials. */
    private Database answering(String project) {
        EmbeddedDatabase pg = EmbeddedDatabase.shared();
        pg.ensureDatabase("reconciler_test");
        return database(project, pg.port(), "reconciler_test", pg.username(), pg.password(), false);
    }

    /** A CREATING database on a port where nothing listens. */
    private Database silent(String project, boolean fromKeptData) {
        return database(project, 9, "x", "x", "x-password-long", fromKeptData);
    }

    private Database database(String project, int port, String db, String user, String password, boolean kept) {
        projects.add(project);
        holds.put(project, true);
        Database d = new Database(project, "org", "15", NODE, port, new ComputeResources(0, 256L << 20), 0, db, user,
                secrets.seal(project, password), "", 7, kept, false, false, clock.instant(), 1,
                DatabaseStatus.NEW.withHost("127.0.0.1"));
        rows.put(d);
        return d;
    }

    private Database row(String project) {
        return rows.find(project).orElseThrow();
    }

    @Test
    void creating_startsTheServer_andIsReadyOnceItAcceptsTheCredentials() {
        Database d = answering("shop");
        assertEquals(Result.done(), reconciler.reconcile("shop"));
        assertEquals(DatabaseState.READY, row("shop").status().state());
        assertEquals(clock.instant(), row("shop").status().readyTime());
        assertEquals(List.of("start " + d.name()), driver.calls);
    }

    @Test
    void creating_thatNeverAnswers_isRequeuedUntilTheTimeout_thenFailedWithEverythingItMadeRemoved() {
        Database d = silent("shop", false);
        assertInstanceOf(Result.RequeueAfter.class, reconciler.reconcile("shop"));
        assertEquals(DatabaseState.CREATING, row("shop").status().state());
        assertTrue(driver.storage.contains(d.name()));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(Result.done(), reconciler.reconcile("shop"));
        Database failed = row("shop");
        assertEquals(DatabaseState.FAILED, failed.status().state());
        assertTrue(failed.status().lastError().startsWith("did not accept connections within 30 s"),
                failed.status().lastError());
        assertFalse(driver.storage.contains(d.name()), "its storage is removed");
        assertFalse(driver.servers.containsKey(d.name()), "its server is removed");
        assertFalse(rows.leases.containsValue("shop"), "its port lease is released");
        assertEquals(Result.done(), reconciler.reconcile("shop"), "FAILED is left for the user to delete");
    }

    @Test
    void creatingOnKeptData_thatFails_keepsTheData() {
        Database d = silent("shop", true);
        driver.storage.add(d.name());
        clock.advance(Duration.ofSeconds(31));
        reconciler.reconcile("shop");
        assertEquals(DatabaseState.FAILED, row("shop").status().state());
        assertTrue(driver.storage.contains(d.name()), "kept data is never removed by a failed creation");
    }

    @Test
    void creating_onANodeWithoutTheVersion_isFailedAtOnce() {
        silent("shop", false);
        driver.versions = Set.of("16");
        assertEquals(Result.done(), reconciler.reconcile("shop"));
        assertEquals(DatabaseState.FAILED, row("shop").status().state());
        assertTrue(row("shop").status().lastError().contains("no PostgreSQL 15"), row("shop").status().lastError());
    }

    @Test
    void ready_whoseServerDied_isStartedAgainOnItsData_andCountsTheRestart() {
        Database d = answering("shop");
        reconciler.reconcile("shop");
        driver.kill(d.name());
        assertInstanceOf(Result.RequeueAfter.class, reconciler.reconcile("shop"));
        assertTrue(driver.servers.get(d.name()).running());
        assertEquals(1, row("shop").status().restarts());
        assertTrue(row("shop").status().lastError().contains("exit 137"), row("shop").status().lastError());
        assertEquals(DatabaseState.READY, row("shop").status().state());
    }

    @Test
    void ready_whoseStorageIsGone_isFailed_neverInitialisedAgain() {
        Database d = answering("shop");
        reconciler.reconcile("shop");
        driver.servers.remove(d.name());
        driver.storage.remove(d.name());
        reconciler.reconcile("shop");
        assertEquals(DatabaseState.FAILED, row("shop").status().state());
        assertEquals(1, driver.calls.stream().filter(c -> c.startsWith("start")).count(), "not started on empty storage");
    }

    @Test
    void deleting_removesServerStorageLeaseAndHold_orKeepsTheDataWhenAsked() {
        Database gone = answering("gone");
        Database kept = answering("kept");
        reconciler.reconcile("gone");
        reconciler.reconcile("kept");
        rows.markDeleting("gone", false);
        rows.markDeleting("kept", true);
        reconciler.reconcile("gone");
        reconciler.reconcile("kept");
        assertTrue(rows.find("gone").isEmpty() && rows.find("kept").isEmpty());
        assertFalse(driver.storage.contains(gone.name()));
        assertTrue(driver.storage.contains(kept.name()), "keepData leaves the storage");
        assertEquals(NODE, rows.kept.get("kept").nodeName(), "and records where it is");
        assertFalse(rows.kept.containsKey("gone"));
        assertFalse(holds.get("gone") || holds.get("kept"), "the holds are released");
        assertTrue(rows.leases.isEmpty());
    }

    @Test
    void aDatabaseWhoseProjectIsGone_isDeleted_keepingItsData() {
        Database d = answering("shop");
        reconciler.reconcile("shop");
        projects.remove("shop");
        reconciler.reconcile("shop");
        assertTrue(rows.find("shop").isEmpty());
        assertTrue(driver.storage.contains(d.name()), "a registry that lost a project must not cost the data");
        assertTrue(rows.kept.containsKey("shop"));
    }

    @Test
    void deleting_whileItsNodeIsAway_waits_keepingTheRowAndTheLease() {
        FakeFleet fleet = new FakeFleet();
        DatabaseReconciler away = new DatabaseReconciler(rows, fleet, new Drivers(List.of(), List.of(factory)),
                new Projects() {
                    @Override
                    public void requireExists(String project) {
                    }

                    @Override
                    public String organizationOf(String project) {
                        return "org";
                    }

                    @Override
                    public void hold(String project, String holder, boolean held) {
                    }
                }, secrets, Duration.ofSeconds(30), clock);
        answering("shop");
        rows.markDeleting("shop", false);
        assertInstanceOf(Result.RequeueAfter.class, away.reconcile("shop"));
        assertTrue(rows.find("shop").isPresent() && rows.leases.containsValue("shop"));
    }

    @Test
    void deleting_aCreationFromKeptDataThatNeverBecameReady_keepsTheData() {
        Database d = silent("shop", true);
        driver.storage.add(d.name());
        clock.advance(Duration.ofSeconds(31));
        reconciler.reconcile("shop");
        rows.markDeleting("shop", false);
        reconciler.reconcile("shop");
        assertTrue(rows.find("shop").isEmpty());
        assertTrue(driver.storage.contains(d.name()), "still the user's kept data");
        assertTrue(rows.kept.containsKey("shop"));
    }
}
