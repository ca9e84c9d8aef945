package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.orchestry.gateway.api.DatabaseJsonMapper;
import io.orchestry.gateway.api.JsonValues;
import io.orchestry.provisioner.v1.Database;
import io.orchestry.provisioner.v1.DatabaseBackup;
import io.orchestry.provisioner.v1.DatabaseBackupState;
import io.orchestry.provisioner.v1.GetDatabaseBackupRequest;
import io.orchestry.provisioner.v1.ListDatabaseBackupsRequest;
import io.orchestry.provisioner.v1.ListDatabasesRequest;
import io.orchestry.provisioner.v1.ListDatabasesResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Databases and their backups as the hub sees them. The provisioner has no watch of either, so the
 * hub's periodic loop polls, as for rollouts ({@link DeploymentFeed}): each poll lists every database
 * and the newest {@value #BACKUP_PAGE} backups of all of them (asking for any it knew as running that
 * fell off that page), compares them with the last poll, and publishes {@code database} events (the
 * state a database reached: creating, ready, failed, deleting; {@code restarted} when its server was
 * found dead and started again; {@code deleted}) and {@code backup} events for each backup that ends
 * ({@code verified}, or {@code failed} with its error). The first poll only says where to start.
 * Events carry the owning organization, so the hub shows them to that organization only. No event
 * carries a password: the contract's {@code Database} has none.
 */
final class DatabaseFeed extends PollingFeed<DatabaseFeed.Snapshot> {
    static final int BACKUP_PAGE = 100;
    /** Databases are one per project: at most this many pages of 500 are read a poll. */
    private static final int MAX_DATABASE_PAGES = 20;

    private final ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner;
    private final Duration deadline;
    private final Clock clock;
    private final Function<String, String> organizationOf;
    private final Consumer<EventJson> publish;
    private Map<String, Database> databases = new HashMap<>();
    private Map<String, DatabaseBackup> backups = new HashMap<>();

    /** One poll: every database by project, the newest backups (and those that were running) by id. */
    record Snapshot(Map<String, Database> databases, Map<String, DatabaseBackup> backups) {
    }

    DatabaseFeed(ManagedChannel provisioner, Duration deadline, Clock clock, Function<String, String> organizationOf,
                 Consumer<EventJson> publish) {
        super("the provisioner's databases");
        this.provisioner = ProvisionerServiceGrpc.newBlockingStub(provisioner);
        this.deadline = deadline;
        this.clock = clock;
        this.organizationOf = organizationOf;
        this.publish = publish;
    }

    @Override
    Snapshot fetch() {
        return new Snapshot(listDatabases(), listBackups());
    }

    @Override
    void compare(Snapshot now) {
        now.databases().values().forEach(this::compare);
        databases.values().stream().filter(d -> !now.databases().containsKey(d.getProject()))
                .forEach(d -> publish("deleted", d));
        now.backups().values().forEach(b -> compare(b, now.databases()));
    }

    @Override
    void keep(Snapshot now) {
        databases = now.databases();
        backups = now.backups();
    }

    private Map<String, Database> listDatabases() {
        Map<String, Database> now = new HashMap<>();
        String token = "";
        int pages = 0;
        do {
            ListDatabasesResponse page = stub().listDatabases(ListDatabasesRequest.newBuilder().setPageSize(500)
                    .setPageToken(token).build());
            page.getDatabasesList().forEach(d -> now.put(d.getProject(), d));
            token = page.getNextPageToken();
        } while (!token.isEmpty() && ++pages < MAX_DATABASE_PAGES);
        return now;
    }

    private Map<String, DatabaseBackup> listBackups() {
        Map<String, DatabaseBackup> now = new HashMap<>();
        stub().listDatabaseBackups(ListDatabaseBackupsRequest.newBuilder().setPageSize(BACKUP_PAGE).build())
                .getBackupsList().forEach(b -> now.put(b.getId(), b));
        for (DatabaseBackup before : backups.values()) {
            if (!ended(before) && !now.containsKey(before.getId())) {
                try {
                    now.put(before.getId(), stub().getDatabaseBackup(GetDatabaseBackupRequest.newBuilder()
                            .setProject(before.getProject()).setId(before.getId()).build()).getBackup());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                        throw e;
                    }
                    // gone with its database: nothing more to say about it
                }
            }
        }
        return now;
    }

    private void compare(Database database) {
        Database before = databases.get(database.getProject());
        if (before == null || before.getState() != database.getState()) {
            publish(stateName(database), database);
        } else if (database.getRestarts() > before.getRestarts()) {
            publish("restarted", database);
        }
    }

    private void compare(DatabaseBackup backup, Map<String, Database> nowDatabases) {
        DatabaseBackup before = backups.get(backup.getId());
        if (ended(backup) && (before == null || !ended(before))) {
            Database database = nowDatabases.getOrDefault(backup.getProject(), databases.get(backup.getProject()));
            String organization = database == null || database.getOrganization().isEmpty()
                    ? organizationOf.apply(backup.getProject()) : database.getOrganization();
            publish.accept(EventJson.backup(JsonValues.name(DatabaseJsonMapper.BACKUP_STATE_PREFIX, backup.getState()),
                    backup.getId(), organization, polls(), clock.instant(), DatabaseJsonMapper.toJson(backup)));
        }
    }

    private void publish(String type, Database database) {
        String organization = database.getOrganization().isEmpty()
                ? organizationOf.apply(database.getProject()) : database.getOrganization();
        publish.accept(EventJson.database(type, database.getProject(), organization, polls(), clock.instant(),
                DatabaseJsonMapper.toJson(database)));
    }

    /** "ready" for DATABASE_STATE_READY; "modified" for a state this gateway does not know. */
    private static String stateName(Database database) {
        String name = JsonValues.nameOrNull(DatabaseJsonMapper.STATE_PREFIX, database.getState());
        return name == null ? "modified" : name;
    }

    private static boolean ended(DatabaseBackup backup) {
        return backup.getState() == DatabaseBackupState.DATABASE_BACKUP_STATE_VERIFIED
                || backup.getState() == DatabaseBackupState.DATABASE_BACKUP_STATE_FAILED;
    }

    private ProvisionerServiceGrpc.ProvisionerServiceBlockingStub stub() {
        return provisioner.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
