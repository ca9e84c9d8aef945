package io.orchestry.provisioner.grpc;

import io.orchestry.provisioner.domain.Backup;
import io.orchestry.provisioner.domain.Database;
import io.orchestry.provisioner.domain.DatabaseQueries;
import io.orchestry.provisioner.domain.DatabaseRequest;
import io.orchestry.provisioner.domain.DatabaseState;
import io.orchestry.provisioner.v1.CreateDatabaseRequest;
import io.orchestry.provisioner.v1.DatabaseBackup;
import io.orchestry.provisioner.v1.DatabaseBackupState;
import io.orchestry.provisioner.v1.DatabaseBackupTrigger;
import io.orchestry.provisioner.v1.DatabaseCredentials;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Databases and backups between the domain and {@code orchestry.provisioner.v1}; never maps a password into a Database. */
final class DatabaseProtoMapper {
    private DatabaseProtoMapper() {
    }

    static DatabaseRequest toDomain(CreateDatabaseRequest r) {
        return new DatabaseRequest(r.getProject(), r.getEngineVersion(), r.getPort(), r.getMemoryBytes(), r.getCpuMillis(),
                r.getStorageBytes(), r.getPassword(), r.getNodeName(), r.getBackupSchedule(), r.getKeepBackups());
    }

    static io.orchestry.provisioner.v1.Database toProto(Database d) {
        var b = io.orchestry.provisioner.v1.Database.newBuilder()
                .setProject(d.project())
                .setOrganization(d.organization())
                .setEngineVersion(d.engineVersion())
                .setNodeName(d.nodeName())
                .setHost(d.status().host())
                .setPort(d.port())
                .setMemoryBytes(d.resources().memoryBytes())
                .setCpuMillis(d.resources().cpuMillis())
                .setStorageBytes(d.storageBytes())
                .setState(toProto(d.shownState()))
                .setDatabaseName(d.databaseName())
                .setUsername(d.username())
                .setLastError(d.status().lastError())
                .setBackupSchedule(d.backupSchedule())
                .setKeepBackups(d.keepBackups())
                .setRestarts(d.status().restarts())
                .setCreateTime(ProtoTime.toTimestamp(d.createTime()));
        ProtoTime.set(d.status().readyTime(), b::setReadyTime);
        ProtoTime.set(d.status().lastBackupTime(), b::setLastBackupTime);
        return b.build();
    }

    static io.orchestry.provisioner.v1.DatabaseState toProto(DatabaseState s) {
        return switch (s) {
            case CREATING -> io.orchestry.provisioner.v1.DatabaseState.DATABASE_STATE_CREATING;
            case READY -> io.orchestry.provisioner.v1.DatabaseState.DATABASE_STATE_READY;
            case FAILED -> io.orchestry.provisioner.v1.DatabaseState.DATABASE_STATE_FAILED;
            case DELETING -> io.orchestry.provisioner.v1.DatabaseState.DATABASE_STATE_DELETING;
        };
    }

    /** UNSPECIFIED (and unknown numbers) are no filter. */
    static Set<DatabaseState> states(List<io.orchestry.provisioner.v1.DatabaseState> states) {
        Set<DatabaseState> set = EnumSet.noneOf(DatabaseState.class);
        for (var s : states) {
            switch (s) {
                case DATABASE_STATE_CREATING -> set.add(DatabaseState.CREATING);
                case DATABASE_STATE_READY -> set.add(DatabaseState.READY);
                case DATABASE_STATE_FAILED -> set.add(DatabaseState.FAILED);
                case DATABASE_STATE_DELETING -> set.add(DatabaseState.DELETING);
                default -> {
                }
            }
        }
        return set;
    }

    static DatabaseCredentials toProto(DatabaseQueries.Credentials c) {
        return DatabaseCredentials.newBuilder().setHost(c.host()).setPort(c.port()).setDatabaseName(c.databaseName())
                .setUsername(c.username()).setPassword(c.password()).setConnectionUri(c.connectionUri()).build();
    }

    static DatabaseBackup toProto(Backup b) {
        var p = DatabaseBackup.newBuilder()
                .setId(b.id())
                .setProject(b.project())
                .setState(switch (b.state()) {
                    case DUMPING -> DatabaseBackupState.DATABASE_BACKUP_STATE_DUMPING;
                    case VERIFYING -> DatabaseBackupState.DATABASE_BACKUP_STATE_VERIFYING;
                    case VERIFIED -> DatabaseBackupState.DATABASE_BACKUP_STATE_VERIFIED;
                    case FAILED -> DatabaseBackupState.DATABASE_BACKUP_STATE_FAILED;
                })
                .setTrigger(b.trigger() == Backup.BackupTrigger.SCHEDULE
                        ? DatabaseBackupTrigger.DATABASE_BACKUP_TRIGGER_SCHEDULE
                        : DatabaseBackupTrigger.DATABASE_BACKUP_TRIGGER_ON_DEMAND)
                .setSizeBytes(b.sizeBytes())
                .setStartTime(ProtoTime.toTimestamp(b.startTime()))
                .setTableCount(b.tableCount())
                .setRowCount(b.rowCount())
                .setError(b.error())
                .setEngineVersion(b.engineVersion());
        ProtoTime.set(b.finishTime(), p::setFinishTime);
        if (b.duration() != null) {
            p.setDuration(ProtoTime.toDuration(b.duration()));
        }
        return p.build();
    }
}
