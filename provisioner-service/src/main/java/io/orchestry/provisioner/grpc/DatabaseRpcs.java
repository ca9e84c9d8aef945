package io.orchestry.provisioner.grpc;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.config.DatabaseConfig;
import io.orchestry.provisioner.domain.Backup;
import io.orchestry.provisioner.domain.DatabaseBackups;
import io.orchestry.provisioner.domain.DatabaseChanges;
import io.orchestry.provisioner.domain.DatabaseCreation;
import io.orchestry.provisioner.domain.DatabaseQueries;
import io.orchestry.provisioner.domain.DatabaseRestores;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Singleton;

import java.util.Set;

/** The database and backup RPCs: map the request, call the use case, map the answer. */
@Singleton
class DatabaseRpcs {
    private final DatabaseCreation creation;
    private final DatabaseQueries queries;
    private final DatabaseChanges changes;
    private final DatabaseBackups backups;
    private final DatabaseRestores restores;
    private final DatabaseConfig config;

    DatabaseRpcs(DatabaseCreation creation, DatabaseQueries queries, DatabaseChanges changes, DatabaseBackups backups,
                 DatabaseRestores restores, DatabaseConfig config) {
        this.restores = restores;
        this.creation = creation;
        this.queries = queries;
        this.changes = changes;
        this.backups = backups;
        this.config = config;
    }

    CreateDatabaseResponse create(CreateDatabaseRequest request) {
        return CreateDatabaseResponse.newBuilder()
                .setDatabase(DatabaseProtoMapper.toProto(creation.create(DatabaseProtoMapper.toDomain(request)))).build();
    }

    GetDatabaseResponse get(GetDatabaseRequest request) {
        return GetDatabaseResponse.newBuilder().setDatabase(DatabaseProtoMapper.toProto(queries.get(request.getProject())))
                .build();
    }

    ListDatabasesResponse list(ListDatabasesRequest request) {
        var page = queries.list(DatabaseProtoMapper.states(request.getStatesList()),
                PageRequest.ofGrpc(DatabaseQueries.DATABASES, request.getPageSize(), request.getPageToken()));
        return ListDatabasesResponse.newBuilder().addAllDatabases(page.map(DatabaseProtoMapper::toProto).items())
                .setNextPageToken(page.nextPageToken()).build();
    }

    DatabaseExistsResponse exists(DatabaseExistsRequest request) {
        return DatabaseExistsResponse.newBuilder().setExists(queries.exists(request.getProject())).build();
    }

    GetDatabaseCredentialsResponse credentials(GetDatabaseCredentialsRequest request) {
        return GetDatabaseCredentialsResponse.newBuilder()
                .setCredentials(DatabaseProtoMapper.toProto(queries.credentials(request.getProject()))).build();
    }

    DeleteDatabaseResponse delete(DeleteDatabaseRequest request) {
        changes.delete(request.getProject(), request.getKeepData());
        return DeleteDatabaseResponse.getDefaultInstance();
    }

    UpdateDatabaseResponse update(UpdateDatabaseRequest request) {
        Set<String> paths = Set.copyOf(request.getUpdateMask().getPathsList());
        for (String path : paths) {
            if (!path.equals("backup_schedule") && !path.equals("keep_backups")) {
                throw new InvalidArgumentException("updateMask", "unknown or unchangeable field " + path
                        + " (backup_schedule, keep_backups)");
            }
        }
        boolean all = paths.isEmpty();
        return UpdateDatabaseResponse.newBuilder().setDatabase(DatabaseProtoMapper.toProto(changes.updateBackupPolicy(
                request.getProject(), all || paths.contains("backup_schedule") ? request.getBackupSchedule() : null,
                all || paths.contains("keep_backups") ? request.getKeepBackups() : null, config.keepBackups()))).build();
    }

    CreateDatabaseBackupResponse createBackup(CreateDatabaseBackupRequest request) {
        return CreateDatabaseBackupResponse.newBuilder().setBackup(DatabaseProtoMapper.toProto(
                backups.create(request.getProject(), Backup.BackupTrigger.ON_DEMAND))).build();
    }

    GetDatabaseBackupResponse getBackup(GetDatabaseBackupRequest request) {
        return GetDatabaseBackupResponse.newBuilder().setBackup(DatabaseProtoMapper.toProto(
                backups.get(request.getProject(), request.getId()))).build();
    }

    ListDatabaseBackupsResponse listBackups(ListDatabaseBackupsRequest request) {
        var page = backups.list(request.getProject(),
                PageRequest.ofGrpc(DatabaseBackups.BACKUPS, request.getPageSize(), request.getPageToken()));
        return ListDatabaseBackupsResponse.newBuilder().addAllBackups(page.map(DatabaseProtoMapper::toProto).items())
                .setNextPageToken(page.nextPageToken()).build();
    }

    RestoreDatabaseResponse restore(RestoreDatabaseRequest request) {
        DatabaseRestores.Restored restored = restores.restore(request.getProject(), request.getBackupId(),
                request.getTargetProject(), request.getConfirm());
        return RestoreDatabaseResponse.newBuilder().setDatabase(DatabaseProtoMapper.toProto(restored.database()))
                .setTableCount(restored.tables().size()).setRowCount(restored.rows())
                .setDuration(ProtoTime.toDuration(restored.duration())).build();
    }
}
