package io.orchestry.provisioner.fakes;

import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.NotFoundException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.Database;
import io.orchestry.provisioner.domain.DatabaseRepository;
import io.orchestry.provisioner.domain.DatabaseState;
import io.orchestry.provisioner.domain.DatabaseStatus;
import io.orchestry.provisioner.domain.KeptData;
import io.orchestry.provisioner.domain.PortRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Databases in memory, for reconciler tests; leases as a map of port → project. */
public class FakeDatabaseRepository implements DatabaseRepository {
    private final Map<String, Database> rows = new TreeMap<>();
    public final Map<Integer, String> leases = new ConcurrentHashMap<>();
    public final Map<String, KeptData> kept = new ConcurrentHashMap<>();

    public synchronized void put(Database d) {
        rows.put(d.project(), d);
        leases.put(d.port(), d.project());
    }

    @Override
    public synchronized Optional<Database> find(String project) {
        return Optional.ofNullable(rows.get(project));
    }

    @Override
    public synchronized List<Database> list(Set<DatabaseState> states, PageRequest page) {
        return rows.values().stream().filter(d -> states.isEmpty() || states.contains(d.shownState()))
                .filter(d -> d.project().compareTo(page.after()) > 0).limit(page.fetchSize()).toList();
    }

    @Override
    public synchronized List<String> projects() {
        return new ArrayList<>(rows.keySet());
    }

    @Override
    public synchronized Database insert(Database d, PortRange range, PortFree free) {
        if (rows.containsKey(d.project())) {
            throw new AlreadyExistsException("database", d.project());
        }
        put(d);
        return d;
    }

    @Override
    public Optional<KeptData> keptData(String project) {
        return Optional.ofNullable(kept.get(project));
    }

    @Override
    public synchronized Database markDeleting(String project, boolean keepData) {
        Database d = find(project).orElseThrow(() -> new NotFoundException("database", project));
        Database deleting = new Database(d.project(), d.organization(), d.engineVersion(), d.nodeName(), d.port(),
                d.resources(), d.storageBytes(), d.databaseName(), d.username(), d.sealedPassword(), d.backupSchedule(),
                d.keepBackups(), d.fromKeptData(), true, keepData, d.createTime(), d.version() + 1, d.status());
        rows.put(project, deleting);
        return deleting;
    }

    @Override
    public Database updateBackupPolicy(String project, long expectedVersion, String schedule, int keepBackups) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized void writeStatus(String project, DatabaseStatus status) {
        Database d = rows.get(project);
        if (d != null) {
            rows.put(project, d.withStatus(status));
        }
    }

    @Override
    public synchronized void failCreation(String project, DatabaseStatus status) {
        writeStatus(project, status);
        leases.values().removeIf(project::equals);
    }

    @Override
    public synchronized void writeBackupTimes(String project, Instant lastBackupTime, Instant lastScheduledTime) {
        Database d = rows.get(project);
        DatabaseStatus s = d.status();
        writeStatus(project, new DatabaseStatus(s.state(), s.host(), s.lastError(), s.readyTime(), s.restarts(),
                lastBackupTime != null ? lastBackupTime : s.lastBackupTime(),
                lastScheduledTime != null ? lastScheduledTime : s.lastScheduledTime()));
    }

    @Override
    public synchronized void remove(String project, KeptData keptData) {
        Database d = rows.get(project);
        if (d == null || !d.deleting()) {
            return;
        }
        rows.remove(project);
        leases.values().removeIf(project::equals);
        if (keptData != null) {
            kept.put(project, keptData);
        }
    }
}
