package io.orchestry.provisioner.databases;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Controller;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.backup.BackupState;
import io.orchestry.provisioner.backup.CronSchedule;
import io.orchestry.provisioner.backup.Retention;
import io.orchestry.provisioner.domain.Backup;
import io.orchestry.provisioner.domain.BackupExecutor;
import io.orchestry.provisioner.domain.BackupRepository;
import io.orchestry.provisioner.domain.Database;
import io.orchestry.provisioner.domain.DatabaseBackups;
import io.orchestry.provisioner.domain.DatabaseRepository;
import io.orchestry.provisioner.domain.DatabaseSecrets;
import io.orchestry.provisioner.domain.DatabaseState;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The leader's backup runner: every tick (and at once on a request) it fires due schedules, then runs each DUMPING or
 * VERIFYING backup that does not run here yet — so a backup left by a provisioner that died is run again from the
 * start. A VERIFIED backup records the database's last backup time and rotates the older ones out ({@link Retention}:
 * a FAILED one never pushes a verified one out).
 */
@Singleton
public class BackupLoop implements AutoCloseable {
    static final String NAME = "provisioner-backups";
    static final int RUNNERS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(BackupLoop.class);

    private final DatabaseRepository databases;
    private final BackupRepository backups;
    private final DatabaseBackups requests;
    private final BackupExecutor executor;
    private final DatabaseSecrets secrets;
    private final Clock clock;
    private final Controller<String> controller;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final ExecutorService runners = Executors.newFixedThreadPool(RUNNERS, r -> {
        Thread t = new Thread(r, "backup-runner");
        t.setDaemon(true);
        return t;
    });

    public BackupLoop(DatabaseRepository databases, BackupRepository backups, DatabaseBackups requests,
                      BackupExecutor executor, DatabaseSecrets secrets, Clock clock, @Nullable MeterRegistry meters) {
        this.databases = databases;
        this.backups = backups;
        this.requests = requests;
        this.executor = executor;
        this.secrets = secrets;
        this.clock = clock;
        this.controller = Controller.periodic(NAME, Duration.ofSeconds(1), this::tick, clock, meters);
    }

    Controller<String> controller() {
        return controller;
    }

    /** Runs a tick now (a backup was asked for). */
    void wake() {
        controller.enqueue(NAME);
    }

    /** One tick: due schedules, then every running backup that no runner here has yet. */
    void tick() {
        fireSchedules(clock.instant());
        for (Backup b : backups.running()) {
            if (active.add(b.id())) {
                runners.submit(() -> {
                    try {
                        run(b);
                    } catch (RuntimeException e) {
                        fail(b, e);
                    } finally {
                        active.remove(b.id());
                    }
                });
            }
        }
    }

    private void fireSchedules(Instant now) {
        String after = "";
        while (true) {
            List<Database> page = databases.list(Set.of(DatabaseState.READY), new PageRequest("databases", after, 500));
            for (Database d : page) {
                if (!d.backupSchedule().isEmpty()) {
                    Instant from = d.status().lastScheduledTime() != null ? d.status().lastScheduledTime() : d.createTime();
                    if (!CronSchedule.parse(d.backupSchedule()).next(from).isAfter(now)) {
                        databases.writeBackupTimes(d.project(), null, now);
                        try {
                            requests.create(d.project(), Backup.BackupTrigger.SCHEDULE);
                        } catch (FailedPreconditionException busy) {
                            LOG.info("scheduled backup of {} skipped: {}", d.project(), busy.getMessage());
                        }
                    }
                }
                after = d.project();
            }
            if (page.size() < 501) {
                return;
            }
        }
    }

    private void run(Backup backup) {
        Database d = databases.find(backup.project()).orElse(null);
        if (d == null || d.deleting() || d.status().state() != DatabaseState.READY) {
            backups.update(backup.finished(Backup.BackupState.FAILED, 0, backup.tables(), "the database was "
                    + (d == null ? "deleted" : d.shownState()) + " when the backup was to run", clock.instant()));
            return;
        }
        LOG.info("backup {} of {}: dumping", backup.id(), backup.project());
        BackupExecutor.Outcome outcome = executor.backup(d, secrets.password(d), backup,
                () -> backups.update(backup.verifying()));
        Instant finished = clock.instant();
        backups.update(backup.finished(outcome.state(), outcome.sizeBytes(), outcome.tables(), outcome.error(), finished));
        if (outcome.state() == Backup.BackupState.VERIFIED) {
            LOG.info("backup {} of {} VERIFIED: {} tables, {} bytes", backup.id(), backup.project(),
                    outcome.tables().size(), outcome.sizeBytes());
            databases.writeBackupTimes(backup.project(), backup.startTime(), null);
            rotate(d);
        } else {
            LOG.warn("backup {} of {} FAILED: {}", backup.id(), backup.project(), outcome.error());
        }
    }

    /**
     * A backup whose run threw (its password no longer opens, a write failed) is FAILED, not run again at every tick
     * (it would block every later backup of its database). A deposed leader's write is refused by the fence: the new
     * leader runs it.
     */
    private void fail(Backup b, RuntimeException e) {
        String why = e instanceof io.orchestry.error.OrchestryException || e instanceof IllegalStateException
                ? e.getMessage() : e.getClass().getSimpleName();
        LOG.warn("backup {} of {} FAILED: {}", b.id(), b.project(), why);
        try {
            backups.update(b.finished(Backup.BackupState.FAILED, 0, b.tables(), "the backup could not run: " + why,
                    clock.instant()));
        } catch (RuntimeException notWritten) {
            LOG.warn("backup {} of {}: its failure could not be written ({}); tried again at the next tick", b.id(),
                    b.project(), notWritten.toString());
        }
    }

    private void rotate(Database d) {
        List<Retention.Entry> entries = backups.ofProject(d.project()).stream()
                .map(b -> new Retention.Entry(b.id(), BackupState.valueOf(b.state().name()), b.finishTime())).toList();
        for (String id : Retention.toDelete(entries, Math.max(1, d.keepBackups()))) {
            executor.delete(id);
            backups.delete(id);
            LOG.info("backup {} of {} rotated out (keepBackups {})", id, d.project(), d.keepBackups());
        }
    }

    @Override
    public void close() {
        controller.stop();
        runners.shutdownNow();
    }
}
