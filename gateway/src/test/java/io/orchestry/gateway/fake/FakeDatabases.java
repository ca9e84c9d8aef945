package io.orchestry.gateway.fake;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.Violations;
import io.orchestry.names.ResourceNames;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.v1.*;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.SetProjectHoldRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The fake's databases and backups, after the database RPCs of {@code provisioner_service.proto}: a
 * database is READY at once; a backup stays DUMPING until a test ends it with {@link #finishBackup}.
 * When told where the registry is ({@link #holdProjectsIn}), it holds a project while it has a
 * database, as the real provisioner does. Every method takes this object's lock (the RPCs hold the provisioner's too).
 */
public final class FakeDatabases {
    private static final Set<String> VERSIONS = Set.of("15", "16");
    private static final int FIRST_PORT = 25_432;

    private final Map<String, Database> databases = new TreeMap<>();
    private final Map<String, String> passwords = new TreeMap<>();
    private final List<DatabaseBackup> backups = new ArrayList<>();
    private RegistryServiceGrpc.RegistryServiceBlockingStub registry;
    private long backupSeq;
    private int nextPort = FIRST_PORT;

    /** From now on, creating and deleting a database sets and releases the project's "database" hold in this registry. */
    public synchronized void holdProjectsIn(String registryTarget) {
        if (registry == null) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(registryTarget).usePlaintext().build();
            registry = RegistryServiceGrpc.newBlockingStub(channel);
        }
    }

    synchronized Database create(CreateDatabaseRequest request) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "project", request.getProject());
        violations.require(request.getEngineVersion().isEmpty() || VERSIONS.contains(request.getEngineVersion()),
                "engine_version", "must be one of " + VERSIONS);
        violations.require(request.getPort() >= 0 && request.getPort() <= 65_535, "port", "must be 0 (any free one) to 65535");
        violations.require(request.getMemoryBytes() >= 0, "memory_bytes", "must not be negative");
        violations.require(request.getCpuMillis() >= 0, "cpu_millis", "must not be negative");
        violations.require(request.getStorageBytes() >= 0, "storage_bytes", "must not be negative");
        violations.require(request.getKeepBackups() >= 0, "keep_backups", "must not be negative");
        checkSchedule(request.getBackupSchedule(), violations);
        violations.throwIfAny();
        if (databases.containsKey(request.getProject())) {
            throw new AlreadyExistsException("database", request.getProject());
        }
        Timestamp now = now();
        Database database = Database.newBuilder().setProject(request.getProject())
                .setEngineVersion(request.getEngineVersion().isEmpty() ? "16" : request.getEngineVersion())
                .setNodeName(FakeInstances.NODE).setHost("127.0.0.1")
                .setPort(request.getPort() == 0 ? nextPort++ : request.getPort()).setMemoryBytes(request.getMemoryBytes())
                .setCpuMillis(request.getCpuMillis()).setStorageBytes(request.getStorageBytes())
                .setState(DatabaseState.DATABASE_STATE_READY).setDatabaseName(request.getProject())
                .setUsername(request.getProject()).setCreateTime(now).setReadyTime(now)
                .setBackupSchedule(request.getBackupSchedule())
                .setKeepBackups(request.getKeepBackups() == 0 ? 7 : request.getKeepBackups()).build();
        hold(request.getProject(), true);
        databases.put(database.getProject(), database);
        passwords.put(database.getProject(), request.getPassword().isEmpty() ? "generated-" + Long.toHexString(System.nanoTime())
                : request.getPassword());
        return database;
    }

    synchronized Database get(String project) {
        Database database = databases.get(project);
        if (database == null) {
            throw new NotFoundException("database", project);
        }
        return database;
    }

    synchronized boolean exists(String project) {
        return databases.containsKey(project);
    }

    synchronized Page<Database> list(ListDatabasesRequest request) {
        PageRequest page = PageRequest.ofGrpc("databases", request.getPageSize(), request.getPageToken());
        List<Database> rows = databases.values().stream()
                .filter(d -> request.getStatesList().isEmpty() || request.getStatesList().contains(d.getState()))
                .filter(d -> page.isFirst() || d.getProject().compareTo(page.after()) > 0).limit(page.fetchSize()).toList();
        return Page.of(rows, page, Database::getProject);
    }

    synchronized DatabaseCredentials credentials(String project) {
        Database d = get(project);
        String password = passwords.get(project);
        return DatabaseCredentials.newBuilder().setHost(d.getHost()).setPort(d.getPort()).setDatabaseName(d.getDatabaseName())
                .setUsername(d.getUsername()).setPassword(password).setConnectionUri("postgresql://" + d.getUsername() + ":"
                        + password + "@" + d.getHost() + ":" + d.getPort() + "/" + d.getDatabaseName()).build();
    }

    synchronized void delete(String project) {
        get(project);
        databases.remove(project);
        passwords.remove(project);
        backups.removeIf(b -> b.getProject().equals(project));
        hold(project, false);
    }

    synchronized Database update(UpdateDatabaseRequest request) {
        Database.Builder database = get(request.getProject()).toBuilder();
        List<String> paths = request.getUpdateMask().getPathsCount() == 0
                ? List.of("backup_schedule", "keep_backups") : request.getUpdateMask().getPathsList();
        Violations violations = new Violations();
        for (String path : paths) {
            switch (path) {
                case "backup_schedule" -> {
                    checkSchedule(request.getBackupSchedule(), violations);
                    database.setBackupSchedule(request.getBackupSchedule());
                }
                case "keep_backups" -> {
                    violations.require(request.getKeepBackups() >= 1, "keep_backups", "must be at least 1");
                    database.setKeepBackups(request.getKeepBackups());
                }
                default -> violations.add("update_mask", "'" + path + "' cannot be changed; paths: backup_schedule, keep_backups");
            }
        }
        violations.throwIfAny();
        databases.put(request.getProject(), database.build());
        return database.build();
    }

    synchronized DatabaseBackup backUp(String project) {
        Database database = get(project);
        if (backups.stream().anyMatch(b -> b.getProject().equals(project) && !ended(b))) {
            throw new FailedPreconditionException("a backup of database '" + project + "' is already running");
        }
        backupSeq++;
        DatabaseBackup backup = DatabaseBackup.newBuilder().setId("bkp-" + backupSeq).setProject(project)
                .setState(DatabaseBackupState.DATABASE_BACKUP_STATE_DUMPING)
                .setTrigger(DatabaseBackupTrigger.DATABASE_BACKUP_TRIGGER_ON_DEMAND).setStartTime(now())
                .setEngineVersion(database.getEngineVersion()).build();
        backups.add(backup);
        return backup;
    }

    /** Ends a backup as the provisioner would: VERIFIED with these counts, or FAILED with {@code error}. */
    public synchronized void finishBackup(String id, boolean verified, String error) {
        for (int i = 0; i < backups.size(); i++) {
            DatabaseBackup b = backups.get(i);
            if (b.getId().equals(id)) {
                DatabaseBackup.Builder done = b.toBuilder().setFinishTime(now()).setDuration(Duration.newBuilder().setSeconds(2))
                        .setSizeBytes(verified ? 4096 : 0);
                if (verified) {
                    done.setState(DatabaseBackupState.DATABASE_BACKUP_STATE_VERIFIED).setTableCount(3).setRowCount(42);
                    databases.computeIfPresent(b.getProject(), (p, d) -> d.toBuilder().setLastBackupTime(now()).build());
                } else {
                    done.setState(DatabaseBackupState.DATABASE_BACKUP_STATE_FAILED).setError(error);
                }
                backups.set(i, done.build());
            }
        }
    }

    /** The server was found dead and started again (the reconciler's restart), or it failed for good. */
    public synchronized void setState(String project, DatabaseState state, int restarts) {
        databases.computeIfPresent(project, (p, d) -> d.toBuilder().setState(state).setRestarts(restarts).build());
    }

    synchronized DatabaseBackup backup(String project, String id) {
        return backups.stream().filter(b -> b.getId().equals(id) && b.getProject().equals(project)).findFirst()
                .orElseThrow(() -> new NotFoundException("backup", id));
    }

    synchronized Page<DatabaseBackup> backups(ListDatabaseBackupsRequest request) {
        if (!request.getProject().isEmpty()) {
            get(request.getProject());
        }
        PageRequest page = PageRequest.ofGrpc("backups", request.getPageSize(), request.getPageToken());
        long before = page.isFirst() ? Long.MAX_VALUE : page.afterAsLong("page_token");
        List<DatabaseBackup> rows = backups.stream().sorted(Comparator.comparingLong(FakeDatabases::seq).reversed())
                .filter(b -> request.getProject().isEmpty() || b.getProject().equals(request.getProject()))
                .filter(b -> seq(b) < before).limit(page.fetchSize()).toList();
        return Page.of(rows, page, b -> Long.toString(seq(b)));
    }

    synchronized RestoreDatabaseResponse restore(RestoreDatabaseRequest request) {
        Database source = get(request.getProject());
        DatabaseBackup backup = backup(request.getProject(), request.getBackupId());
        if (backup.getState() != DatabaseBackupState.DATABASE_BACKUP_STATE_VERIFIED) {
            throw new FailedPreconditionException("backup '" + backup.getId() + "' is not verified: only a verified backup is restored");
        }
        String target = request.getTargetProject().isEmpty() ? request.getProject() : request.getTargetProject();
        if (target.equals(request.getProject()) && !request.getConfirm()) {
            throw new InvalidArgumentException("confirm", "must be true to restore in place: the database's data is replaced");
        }
        Database into = databases.get(target);
        if (into == null) {
            into = create(CreateDatabaseRequest.newBuilder().setProject(target).setEngineVersion(source.getEngineVersion())
                    .setMemoryBytes(source.getMemoryBytes()).setCpuMillis(source.getCpuMillis()).build());
        }
        return RestoreDatabaseResponse.newBuilder().setDatabase(into).setTableCount(backup.getTableCount())
                .setRowCount(backup.getRowCount()).setDuration(Duration.newBuilder().setSeconds(1)).build();
    }

    private void hold(String project, boolean held) {
        if (registry == null) {
            return;
        }
        try {
            registry.withDeadlineAfter(5, TimeUnit.SECONDS).setProjectHold(SetProjectHoldRequest.newBuilder()
                    .setProject(project).setHolder("database").setHeld(held).build());
        } catch (StatusRuntimeException e) {
            // tests that call the fake directly (the event feeds' tests) use projects the registry does not
            // have; through the gateway a project is always checked first
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static void checkSchedule(String schedule, Violations violations) {
        violations.require(schedule.isEmpty() || Set.of("@hourly", "@daily", "@weekly").contains(schedule)
                        || schedule.trim().split("\\s+").length == 5, "backup_schedule",
                "must be five cron fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly");
    }

    private static boolean ended(DatabaseBackup backup) {
        return backup.getState() == DatabaseBackupState.DATABASE_BACKUP_STATE_VERIFIED
                || backup.getState() == DatabaseBackupState.DATABASE_BACKUP_STATE_FAILED;
    }

    private static long seq(DatabaseBackup backup) {
        return Long.parseLong(backup.getId().substring("bkp-".length()));
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
}
