package io.orchestry.gateway.api;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.Violations;
import io.orchestry.provisioner.v1.CreateDatabaseRequest;
import io.orchestry.provisioner.v1.Database;
import io.orchestry.provisioner.v1.DatabaseBackup;
import io.orchestry.provisioner.v1.DatabaseCredentials;
import io.orchestry.provisioner.v1.DatabaseState;
import io.orchestry.provisioner.v1.RestoreDatabaseRequest;
import io.orchestry.provisioner.v1.RestoreDatabaseResponse;
import io.orchestry.provisioner.v1.UpdateDatabaseRequest;

import java.time.Instant;

/**
 * REST JSON to and from the provisioner's contract for databases and their backups. Enum values
 * travel in lower case without their prefix ({@code DATABASE_BACKUP_STATE_VERIFIED} is {@code "verified"}).
 */
public final class DatabaseJsonMapper {
    public static final String STATE_PREFIX = "DATABASE_STATE_";
    public static final String BACKUP_STATE_PREFIX = "DATABASE_BACKUP_STATE_";
    private static final String TRIGGER_PREFIX = "DATABASE_BACKUP_TRIGGER_";

    private DatabaseJsonMapper() {
    }

    static CreateDatabaseRequest toRequest(DatabaseRequestJson.Create body) {
        CreateDatabaseRequest.Builder request = CreateDatabaseRequest.newBuilder();
        if (body.project() != null) {
            request.setProject(body.project());
        }
        if (body.engineVersion() != null) {
            request.setEngineVersion(body.engineVersion());
        }
        if (body.port() != null) {
            request.setPort(body.port());
        }
        if (body.memoryBytes() != null) {
            request.setMemoryBytes(body.memoryBytes());
        }
        if (body.cpuMillis() != null) {
            request.setCpuMillis(body.cpuMillis());
        }
        if (body.storageBytes() != null) {
            request.setStorageBytes(body.storageBytes());
        }
        if (body.password() != null) {
            request.setPassword(body.password());
        }
        if (body.nodeName() != null) {
            request.setNodeName(body.nodeName());
        }
        if (body.backupSchedule() != null) {
            request.setBackupSchedule(body.backupSchedule());
        }
        if (body.keepBackups() != null) {
            request.setKeepBackups(body.keepBackups());
        }
        return request.build();
    }

    /** A PATCH: every field given joins the update mask; a body that gives none is a bad request. */
    static UpdateDatabaseRequest toRequest(String project, DatabaseRequestJson.Update body) {
        UpdateDatabaseRequest.Builder request = UpdateDatabaseRequest.newBuilder().setProject(project);
        FieldMask.Builder mask = FieldMask.newBuilder();
        if (body.backupSchedule() != null) {
            request.setBackupSchedule(body.backupSchedule());
            mask.addPaths("backup_schedule");
        }
        if (body.keepBackups() != null) {
            request.setKeepBackups(body.keepBackups());
            mask.addPaths("keep_backups");
        }
        if (mask.getPathsCount() == 0) {
            throw new InvalidArgumentException("backupSchedule", "nothing to change: give backupSchedule, keepBackups or both");
        }
        return request.setUpdateMask(mask).build();
    }

    static RestoreDatabaseRequest toRequest(String project, DatabaseRequestJson.Restore body) {
        if (body.backupId() == null || body.backupId().isBlank()) {
            throw new InvalidArgumentException("backupId", "required: the id of a verified backup of " + project);
        }
        return RestoreDatabaseRequest.newBuilder().setProject(project).setBackupId(body.backupId())
                .setTargetProject(body.targetProject() == null ? "" : body.targetProject())
                .setConfirm(Boolean.TRUE.equals(body.confirm())).build();
    }

    public static DatabaseJson toJson(Database d) {
        return new DatabaseJson(d.getProject(), d.getOrganization(), d.getEngineVersion(), d.getNodeName(), d.getHost(),
                d.getPort(), d.getMemoryBytes(), d.getCpuMillis(), d.getStorageBytes(),
                JsonValues.nameOrNull(STATE_PREFIX, d.getState()), d.getDatabaseName(), d.getUsername(), d.getLastError(),
                time(d.hasCreateTime(), d.getCreateTime()), time(d.hasReadyTime(), d.getReadyTime()), d.getBackupSchedule(),
                d.getKeepBackups(), time(d.hasLastBackupTime(), d.getLastBackupTime()), d.getRestarts());
    }

    public static DatabaseJson.Backup toJson(DatabaseBackup b) {
        return new DatabaseJson.Backup(b.getId(), b.getProject(), JsonValues.nameOrNull(BACKUP_STATE_PREFIX, b.getState()),
                JsonValues.nameOrNull(TRIGGER_PREFIX, b.getTrigger()), b.getSizeBytes(),
                time(b.hasStartTime(), b.getStartTime()), time(b.hasFinishTime(), b.getFinishTime()),
                b.hasDuration() ? JsonValues.format(b.getDuration()) : null, b.getTableCount(), b.getRowCount(), b.getError(),
                b.getEngineVersion());
    }

    static DatabaseJson.Credentials toJson(DatabaseCredentials c) {
        return new DatabaseJson.Credentials(c.getHost(), c.getPort(), c.getDatabaseName(), c.getUsername(), c.getPassword(),
                c.getConnectionUri());
    }

    static DatabaseJson.Restored toJson(RestoreDatabaseResponse r) {
        return new DatabaseJson.Restored(toJson(r.getDatabase()), r.getTableCount(), r.getRowCount(),
                r.hasDuration() ? JsonValues.format(r.getDuration()) : null);
    }

    static @Nullable DatabaseState parseState(String value, String field, Violations violations) {
        return JsonValues.parse(DatabaseState.class, STATE_PREFIX, value, field, violations);
    }

    private static @Nullable Instant time(boolean present, Timestamp timestamp) {
        return present ? ProtoTimes.toInstant(timestamp) : null;
    }
}
