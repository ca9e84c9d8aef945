package io.orchestry.provisioner.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.provisioner.fleet.FleetWatch;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database RPCs against a real PostgreSQL and a real registry, with the loops off (nothing starts a server here:
 * the rows, leases, holds and errors are what is checked). Databases go to the cordoned process node by name.
 */
@MicronautTest
class DatabasesTest extends ProvisionerComponentTest {
    @Inject
    FleetWatch fleet;
    private boolean fleetStarted;

    private synchronized void awaitFleet() throws InterruptedException {
        if (!fleetStarted) {
            fleet.start();
            fleetStarted = true;
        }
        for (int i = 0; i < 200 && !(fleet.listed() && fleet.node(NODE).isPresent()); i++) {
            Thread.sleep(50);
        }
        assertTrue(fleet.listed() && fleet.node(NODE).isPresent(), "the fleet lists " + NODE);
    }

    private CreateDatabaseRequest.Builder request(String project) {
        return CreateDatabaseRequest.newBuilder().setProject(project).setNodeName(NODE);
    }

    private static String newProject(String name) {
        RunningRegistry.get(null).project(name);
        return name;
    }

    @Test
    void create_appliesDefaults_leasesAPort_sealsThePassword_holdsTheProject() throws Exception {
        awaitFleet();
        String project = newProject("db-create");
        Database d = stub().createDatabase(request(project).build()).getDatabase();
        assertEquals(DatabaseState.DATABASE_STATE_CREATING, d.getState());
        assertEquals("15", d.getEngineVersion());
        assertEquals(NODE, d.getNodeName());
        assertEquals("db_create", d.getDatabaseName());
        assertEquals("db_create", d.getUsername());
        assertEquals(project + "-org", d.getOrganization());
        assertEquals(7, d.getKeepBackups());
        assertTrue(d.getPort() >= 25432 && d.getPort() <= 25999, "leased from the range: " + d.getPort());
        assertEquals(1, count("SELECT count(*) FROM port_lease WHERE project = ? AND port = ?", project, d.getPort()));
        DatabaseCredentials credentials = stub().getDatabaseCredentials(GetDatabaseCredentialsRequest.newBuilder()
                .setProject(project).build()).getCredentials();
        assertEquals(32, credentials.getPassword().length(), "a generated password");
        assertEquals("postgresql://db_create:" + credentials.getPassword() + "@127.0.0.1:" + d.getPort() + "/db_create",
                credentials.getConnectionUri());
        assertEquals(0, count("SELECT count(*) FROM database_server WHERE position(convert_to(?, 'UTF8') in sealed_password) > 0",
                credentials.getPassword()), "the stored password is sealed");
        assertFalse(d.toString().contains(credentials.getPassword()));
        assertTrue(RunningRegistry.get(null).holds(project).contains("database"), "the project is held");
        assertTrue(stub().databaseExists(DatabaseExistsRequest.newBuilder().setProject(project).build()).getExists());
        assertFalse(stub().databaseExists(DatabaseExistsRequest.newBuilder().setProject("db-none").build()).getExists());
    }

    @Test
    void create_secondForTheProject_isAlreadyExists_andTheTakenPortToo() throws Exception {
        awaitFleet();
        String project = newProject("db-twice");
        Database first = stub().createDatabase(request(project).build()).getDatabase();
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> stub().createDatabase(request(project).build())));
        String other = newProject("db-port-taken");
        StatusRuntimeException e = failure(() -> stub().createDatabase(request(other).setPort(first.getPort()).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        assertEquals(0, count("SELECT count(*) FROM database_server WHERE project = ?", other));
        assertFalse(RunningRegistry.get(null).holds(other).contains("database"), "a refused creation holds nothing");
    }

    @Test
    void create_unknownProject_isNotFound_andWritesNothing() throws Exception {
        awaitFleet();
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().createDatabase(request("db-no-such").build())));
        assertEquals(0, count("SELECT count(*) FROM database_server WHERE project = 'db-no-such'"));
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("project", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setProject("Bad_Name")),
                Arguments.of("port", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setPort(70000)),
                Arguments.of("port", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setPort(80)),
                Arguments.of("memoryBytes", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setMemoryBytes(-1)),
                Arguments.of("memoryBytes", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setMemoryBytes(1024)),
                Arguments.of("cpuMillis", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setCpuMillis(-5)),
                Arguments.of("storageBytes", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setStorageBytes(-5)),
                Arguments.of("engineVersion", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setEngineVersion("9")),
                Arguments.of("password", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setPassword("short")),
                Arguments.of("password", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setPassword("with a space in it")),
                Arguments.of("nodeName", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setNodeName("NO")),
                Arguments.of("backupSchedule", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setBackupSchedule("61 * * * *")),
                Arguments.of("keepBackups", (UnaryOperator<CreateDatabaseRequest.Builder>) r -> r.setKeepBackups(-1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void create_badInput_isInvalidArgumentNamingTheField_andWritesNothing(String field,
                                                                          UnaryOperator<CreateDatabaseRequest.Builder> edit) {
        StatusRuntimeException e = failure(() -> stub().createDatabase(edit.apply(request("db-bad")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(List.of(field), violatedFields(e));
        assertEquals(0, count("SELECT count(*) FROM database_server WHERE project IN ('db-bad', 'Bad_Name')"));
        assertEquals(0, count("SELECT count(*) FROM port_lease WHERE project IN ('db-bad', 'Bad_Name')"));
    }

    @Test
    void concurrentCreations_withPortZero_neverShareAPort() throws Exception {
        awaitFleet();
        int n = 8;
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            projects.add(newProject("db-race-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (String p : projects) {
                calls.add(() -> stub().createDatabase(request(p).build()).getDatabase().getPort());
            }
            Set<Integer> ports = new HashSet<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                ports.add(f.get());
            }
            assertEquals(n, ports.size(), "every creation got its own port: " + ports);
            assertEquals(n, count("SELECT count(DISTINCT port) FROM port_lease WHERE project LIKE 'db-race-%'"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void delete_showsDeleting_andUpdate_changesOnlyTheBackupPolicy() throws Exception {
        awaitFleet();
        String project = newProject("db-change");
        stub().createDatabase(request(project).build());
        Database updated = stub().updateDatabase(UpdateDatabaseRequest.newBuilder().setProject(project)
                .setBackupSchedule("0 3 * * *").setUpdateMask(mask("backup_schedule")).build()).getDatabase();
        assertEquals("0 3 * * *", updated.getBackupSchedule());
        assertEquals(7, updated.getKeepBackups());
        StatusRuntimeException bad = failure(() -> stub().updateDatabase(UpdateDatabaseRequest.newBuilder()
                .setProject(project).setKeepBackups(1000).setUpdateMask(mask("keep_backups")).build()));
        assertEquals(List.of("keepBackups"), violatedFields(bad));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub().updateDatabase(UpdateDatabaseRequest.newBuilder()
                .setProject(project).setUpdateMask(mask("port")).build())));
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> stub().createDatabaseBackup(
                CreateDatabaseBackupRequest.newBuilder().setProject(project).build())), "not READY yet");
        stub().deleteDatabase(DeleteDatabaseRequest.newBuilder().setProject(project).build());
        assertEquals(DatabaseState.DATABASE_STATE_DELETING, stub().getDatabase(GetDatabaseRequest.newBuilder()
                .setProject(project).build()).getDatabase().getState());
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().deleteDatabase(DeleteDatabaseRequest.newBuilder()
                .setProject("db-none").build())));
    }

    @Test
    void list_pagesInProjectOrder_andFiltersByState() throws Exception {
        awaitFleet();
        for (String p : List.of("db-list-a", "db-list-b", "db-list-c")) {
            stub().createDatabase(request(newProject(p)).build());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        do {
            ListDatabasesResponse page = stub().listDatabases(ListDatabasesRequest.newBuilder().setPageSize(2)
                    .setPageToken(token).build());
            page.getDatabasesList().forEach(d -> seen.add(d.getProject()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertTrue(seen.containsAll(List.of("db-list-a", "db-list-b", "db-list-c")), seen.toString());
        assertEquals(seen.stream().sorted().toList(), seen);
        assertEquals(0, stub().listDatabases(ListDatabasesRequest.newBuilder()
                .addStates(DatabaseState.DATABASE_STATE_READY).build()).getDatabasesCount(), "nothing runs here");
        assertNotEquals(0, stub().listDatabases(ListDatabasesRequest.newBuilder()
                .addStates(DatabaseState.DATABASE_STATE_CREATING).build()).getDatabasesCount());
    }
}
