package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.CreateDatabaseBackupRequest;
import io.orchestry.provisioner.v1.DatabaseBackup;
import io.orchestry.provisioner.v1.GetDatabaseBackupRequest;
import io.orchestry.provisioner.v1.ListDatabaseBackupsRequest;
import io.orchestry.provisioner.v1.ListDatabaseBackupsResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.provisioner.v1.RestoreDatabaseRequest;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/**
 * {@code /api/v1/databases/{project}/backups} and {@code /restore}: backups of a project's database,
 * each verified by a restore before it counts, and restores from them. Any role of the project's
 * organization reads them; operators and admins take backups and restore. A restore into another
 * project needs the caller allowed on both (another organization's project answers 404).
 */
@Controller("/api/v1/databases")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "databases")
public class DatabaseBackupController {
    private final ServiceStubs stubs;
    private final AppAccess access;

    public DatabaseBackupController(ServiceStubs stubs, AppAccess access) {
        this.stubs = stubs;
        this.access = access;
    }

    /**
     * Takes a backup now; it answers at once, {@code dumping}, and becomes {@code verified} or {@code failed}.
     * 409 while the database is not ready or a backup of it is running. Operator.
     */
    @Status(HttpStatus.CREATED)
    @Post("/{project}/backups")
    public HttpResponse<DatabaseJson.Backup> create(HttpRequest<?> request, @PathVariable String project) {
        access.inProject(request, project, Role.OPERATOR, DatabaseController.KIND, project);
        DatabaseBackup backup = provisioner(request).createDatabaseBackup(CreateDatabaseBackupRequest.newBuilder()
                .setProject(project).build()).getBackup();
        return HttpResponse.created(DatabaseJsonMapper.toJson(backup),
                URI.create("/api/v1/databases/" + project + "/backups/" + backup.getId()));
    }

    /**
     * The database's backups, newest first, with size, time, duration, state and what they held.
     *
     * @param limit     page size: 0 (the default) means 100, at most 500 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/{project}/backups")
    public DatabaseJson.BackupPage list(HttpRequest<?> request, @PathVariable String project,
                                        @QueryValue(defaultValue = "0") int limit, @Nullable @QueryValue String pageToken) {
        access.inProject(request, project, Role.VIEWER, DatabaseController.KIND, project);
        ListDatabaseBackupsResponse page = provisioner(request).listDatabaseBackups(ListDatabaseBackupsRequest.newBuilder()
                .setProject(project).setPageSize(limit).setPageToken(pageToken == null ? "" : pageToken).build());
        return new DatabaseJson.BackupPage(page.getBackupsList().stream().map(DatabaseJsonMapper::toJson).toList(),
                AppJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** One backup of the database. */
    @Get("/{project}/backups/{id}")
    public DatabaseJson.Backup get(HttpRequest<?> request, @PathVariable String project, @PathVariable String id) {
        access.inProject(request, project, Role.VIEWER, DatabaseController.KIND, project);
        return DatabaseJsonMapper.toJson(provisioner(request).getDatabaseBackup(GetDatabaseBackupRequest.newBuilder()
                .setProject(project).setId(id).build()).getBackup());
    }

    /**
     * Restores a verified backup into the same database ({@code confirm: true}: its data is replaced) or
     * into another project's; answers when the restore is done. Operator of both projects.
     */
    @Post("/{project}/restore")
    public DatabaseJson.Restored restore(HttpRequest<?> request, @PathVariable String project,
                                         @Body DatabaseRequestJson.Restore body) {
        RestoreDatabaseRequest restore = DatabaseJsonMapper.toRequest(project, body);
        String target = restore.getTargetProject();
        if (!target.isEmpty() && !target.equals(project)) {
            access.project(request, target, Role.OPERATOR);
        }
        // checked last, so that the organization the audit record names is the source's
        access.inProject(request, project, Role.OPERATOR, DatabaseController.KIND, project);
        return DatabaseJsonMapper.toJson(stubs.provisionerForRestore(RequestIdFilter.requestId(request)).restoreDatabase(restore));
    }

    private ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner(HttpRequest<?> request) {
        return stubs.provisioner(RequestIdFilter.requestId(request));
    }
}
