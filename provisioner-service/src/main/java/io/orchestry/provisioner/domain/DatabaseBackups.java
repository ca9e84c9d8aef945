package io.orchestry.provisioner.domain;

import io.micronaut.context.BeanProvider;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.NotFoundException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;

/**
 * CreateDatabaseBackup, GetDatabaseBackup, ListDatabaseBackups. A new backup is a DUMPING row; the leader's backup loop
 * runs every DUMPING or VERIFYING row it is not running yet (so a backup whose provisioner died is run again).
 */
@Singleton
public class DatabaseBackups {
    public static final String BACKUPS = "backups";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseRepository databases;
    private final BackupRepository backups;
    private final Projects projects;
    private final BeanProvider<DatabaseChangeListener> listener;
    private final Clock clock;

    public DatabaseBackups(DatabaseRepository databases, BackupRepository backups, Projects projects,
                           BeanProvider<DatabaseChangeListener> listener, Clock clock) {
        this.databases = databases;
        this.projects = projects;
        this.backups = backups;
        this.listener = listener;
        this.clock = clock;
    }

    public Backup create(String project, Backup.BackupTrigger trigger) {
        Database d = databases.find(project).orElseThrow(() -> new NotFoundException("database", project));
        if (d.deleting() || d.status().state() != DatabaseState.READY) {
            throw new FailedPreconditionException("the database of " + project + " is " + d.shownState()
                    + ": only a READY database is backed up");
        }
        Backup backup = backups.insert(newBackup(project, d.organization(), d.engineVersion(), trigger, clock.instant()));
        listener.ifPresent(l -> l.backupRequested(backup.id()));
        return backup;
    }

    /** A backup of the project, taken while the project belonged to the organization that owns it now. */
    public Backup get(String project, String id) {
        String organization = organizationOf(project);
        return backups.find(id).filter(b -> b.project().equals(project) && b.organization().equals(organization))
                .orElseThrow(() -> new NotFoundException("backup", id));
    }

    /** Of one project (of its current organization only), or of every database when the project is empty. */
    public Page<Backup> list(String project, PageRequest page) {
        String organization = project.isEmpty() ? "" : organizationOf(project);
        return Page.of(backups.list(project, organization, page), page, DatabaseBackups::position);
    }

    /** The project's organization now: its database's, else the registry's (project names are reused). */
    private String organizationOf(String project) {
        return databases.find(project).map(Database::organization).orElseGet(() -> projects.organizationOf(project));
    }

    /** The position of a backup in the newest-first order: its start time (micros) and id. */
    public static String position(Backup b) {
        long micros = b.startTime().getEpochSecond() * 1_000_000L + b.startTime().getNano() / 1000;
        return micros + "/" + b.id();
    }

    /** {@code b-<utc time>-<8 hex>}: sortable, unique, safe in a path. */
    public static Backup newBackup(String project, String organization, String version, Backup.BackupTrigger trigger,
                                   Instant now) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String id = "b-" + ID_TIME.format(now) + "-" + HexFormat.of().formatHex(random);
        return new Backup(id, project, organization, Backup.BackupState.DUMPING, trigger, version, 0, Map.of(), "", now,
                null);
    }
}
