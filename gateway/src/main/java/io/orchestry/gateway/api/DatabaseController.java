package io.orchestry.gateway.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.Violations;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.Database;
import io.orchestry.provisioner.v1.DatabaseExistsRequest;
import io.orchestry.provisioner.v1.DeleteDatabaseRequest;
import io.orchestry.provisioner.v1.GetDatabaseCredentialsRequest;
import io.orchestry.provisioner.v1.GetDatabaseRequest;
import io.orchestry.provisioner.v1.ListDatabasesRequest;
import io.orchestry.provisioner.v1.ListDatabasesResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/**
 * {@code /api/v1/databases}: one PostgreSQL per project, kept by the provisioner. Maps and
 * delegates; the provisioner holds the rules. Like apps, a database belongs to its project's
 * organization: any role there reads it, operators and admins change it, only admins read its
 * credentials (and every such read is audited); another organization's database answers 404. No
 * answer but the credentials carries a password.
 */
@Controller("/api/v1/databases")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "databases")
public class DatabaseController {
    static final String KIND = "database";

    private final ServiceStubs stubs;
    private final AppAccess access;

    public DatabaseController(ServiceStubs stubs, AppAccess access) {
        this.stubs = stubs;
        this.access = access;
    }

    /** Creates the project's database; it answers while {@code creating} (GET shows {@code ready}). 409 when the project has one. Operator. */
    @io.micronaut.http.annotation.Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<DatabaseJson> create(HttpRequest<?> request, @Body DatabaseRequestJson.Create body) {
        if (body.project() == null || body.project().isBlank()) {
            throw new InvalidArgumentException("project", "required: the project the database is for");
        }
        access.project(request, body.project(), Role.OPERATOR);
        Database created = provisioner(request).createDatabase(DatabaseJsonMapper.toRequest(body)).getDatabase();
        return HttpResponse.created(DatabaseJsonMapper.toJson(created), URI.create("/api/v1/databases/" + created.getProject()));
    }

    /**
     * Lists databases by project: of one project with {@code project}, otherwise of every project the
     * caller sees (a page may then hold fewer than {@code limit}).
     *
     * @param state     comma-separated states: creating, ready, failed, deleting
     * @param limit     page size: 0 (the default) means 100, at most 500 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get
    public DatabaseJson.Page list(HttpRequest<?> request, @QueryValue(defaultValue = "0") int limit,
                                  @Nullable @QueryValue String pageToken, @Nullable @QueryValue String project,
                                  @Nullable @QueryValue String state) {
        ListDatabasesRequest.Builder query = ListDatabasesRequest.newBuilder().setPageSize(limit)
                .setPageToken(pageToken == null ? "" : pageToken);
        if (state != null && !state.isBlank()) {
            Violations violations = new Violations();
            for (String one : state.split(",", 0)) {
                var parsed = DatabaseJsonMapper.parseState(one.trim(), "state", violations);
                if (parsed != null) {
                    query.addStates(parsed);
                }
            }
            violations.throwIfAny();
        }
        AppAccess.Scope scope = access.scope(request, project);
        if (!scope.project().isEmpty()) {
            return new DatabaseJson.Page(one(request, scope.project(), query.getStatesList()), null);
        }
        if (scope.empty()) {
            return new DatabaseJson.Page(List.of(), null);
        }
        ListDatabasesResponse page = provisioner(request).listDatabases(query.build());
        return new DatabaseJson.Page(page.getDatabasesList().stream().filter(d -> scope.visible(d.getProject()))
                .map(DatabaseJsonMapper::toJson).toList(), AppJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** The project's database: where it runs, its settings, state, backup schedule. */
    @Get(value = "/{project}", headRoute = false)
    public DatabaseJson get(HttpRequest<?> request, @PathVariable String project) {
        access.inProject(request, project, Role.VIEWER, KIND, project);
        return DatabaseJsonMapper.toJson(database(request, project));
    }

    /** 200 when the project has a database, 404 when it has none (or is not the caller's); no body either way. */
    @ApiResponse(responseCode = "200", description = "The project has a database")
    @Head("/{project}")
    public HttpResponse<Void> exists(HttpRequest<?> request, @PathVariable String project) {
        access.inProject(request, project, Role.VIEWER, KIND, project);
        boolean exists = provisioner(request).databaseExists(DatabaseExistsRequest.newBuilder().setProject(project).build())
                .getExists();
        return exists ? HttpResponse.ok() : HttpResponse.notFound();
    }

    /** Changes the backup schedule, the retention, or both (only what the body gives). Operator. */
    @Patch("/{project}")
    public DatabaseJson update(HttpRequest<?> request, @PathVariable String project, @Body DatabaseRequestJson.Update body) {
        access.inProject(request, project, Role.OPERATOR, KIND, project);
        return DatabaseJsonMapper.toJson(provisioner(request).updateDatabase(DatabaseJsonMapper.toRequest(project, body))
                .getDatabase());
    }

    /** Deletes the database, its data volume too unless {@code ?keepData=true} (a later create for the project finds it again). Operator. */
    @io.micronaut.http.annotation.Status(HttpStatus.NO_CONTENT)
    @Delete("/{project}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String project,
                                     @QueryValue(defaultValue = "false") boolean keepData) {
        access.inProject(request, project, Role.OPERATOR, KIND, project);
        provisioner(request).deleteDatabase(DeleteDatabaseRequest.newBuilder().setProject(project).setKeepData(keepData).build());
        return HttpResponse.noContent();
    }

    /** How to connect, password included. Admin only; every read is written to the audit log, like a change. */
    @Get(value = "/{project}/credentials", headRoute = false)
    public HttpResponse<DatabaseJson.Credentials> credentials(HttpRequest<?> request, @PathVariable String project) {
        access.inProject(request, project, Role.ADMIN, KIND, project);
        var credentials = provisioner(request).getDatabaseCredentials(GetDatabaseCredentialsRequest.newBuilder()
                .setProject(project).build()).getCredentials();
        return HttpResponse.ok(DatabaseJsonMapper.toJson(credentials)).header("Cache-Control", "no-store");
    }

    /** The project's database when it has one in {@code states} (any, when empty). */
    private List<DatabaseJson> one(HttpRequest<?> request, String project, List<io.orchestry.provisioner.v1.DatabaseState> states) {
        try {
            Database found = database(request, project);
            return states.isEmpty() || states.contains(found.getState()) ? List.of(DatabaseJsonMapper.toJson(found)) : List.of();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    private Database database(HttpRequest<?> request, String project) {
        return provisioner(request).getDatabase(GetDatabaseRequest.newBuilder().setProject(project).build()).getDatabase();
    }

    private ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner(HttpRequest<?> request) {
        return stubs.provisioner(RequestIdFilter.requestId(request));
    }
}
