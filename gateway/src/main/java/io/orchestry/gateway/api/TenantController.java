package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.orchestry.gateway.audit.AuditLog;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.gateway.tenant.OrganizationDeletion;
import io.orchestry.gateway.tenant.ProjectDatabases;
import io.orchestry.registry.v1.DeleteProjectRequest;
import io.orchestry.registry.v1.GetOrganizationRequest;
import io.orchestry.registry.v1.GetProjectRequest;
import io.orchestry.registry.v1.ListOrganizationsRequest;
import io.orchestry.registry.v1.ListOrganizationsResponse;
import io.orchestry.registry.v1.ListProjectsRequest;
import io.orchestry.registry.v1.ListProjectsResponse;
import io.orchestry.registry.v1.RegistryServiceGrpc;

import java.net.URI;
import java.util.List;

/**
 * {@code /api/v1/organizations} and {@code /api/v1/projects}: the registry's tenants. Cluster-wide
 * admins create and delete organizations; an organization's admins change it and its projects; its
 * viewers read them; other organizations' callers get 404, as if it did not exist.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "tenants")
public class TenantController {
    private final ServiceStubs stubs;
    private final OrganizationDeletion deletion;
    private final ProjectDatabases databases;

    public TenantController(ServiceStubs stubs, OrganizationDeletion deletion, ProjectDatabases databases) {
        this.stubs = stubs;
        this.deletion = deletion;
        this.databases = databases;
    }

    /** Creates an organization. Cluster-wide admin. */
    @Status(HttpStatus.CREATED)
    @Post("/organizations")
    public HttpResponse<TenantJson.Organization> createOrganization(HttpRequest<?> request, @Body TenantJson.Create body) {
        AuthenticationFilter.caller(request).requireCluster(Role.ADMIN);
        var organization = TenantJsonMapper.toJson(registry(request)
                .createOrganization(TenantJsonMapper.toCreateOrganization(body)).getOrganization());
        return HttpResponse.created(organization, URI.create("/api/v1/organizations/" + organization.name()));
    }

    /**
     * Lists organizations by name: all for a cluster-wide token, the caller's own otherwise.
     *
     * @param limit     page size: 0 (the default) means 100, at most 1000 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/organizations")
    public TenantJson.OrganizationPage listOrganizations(HttpRequest<?> request, @QueryValue(defaultValue = "0") int limit,
                                                        @Nullable @QueryValue String pageToken) {
        Caller caller = AuthenticationFilter.caller(request);
        if (!caller.clusterWide()) {
            return new TenantJson.OrganizationPage(List.of(getOrganization(request, caller.organization())), null);
        }
        ListOrganizationsResponse page = registry(request).listOrganizations(ListOrganizationsRequest.newBuilder()
                .setPageSize(limit).setPageToken(TenantJsonMapper.orEmpty(pageToken)).build());
        return new TenantJson.OrganizationPage(page.getOrganizationsList().stream().map(TenantJsonMapper::toJson).toList(),
                TenantJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** One organization, with its project count. */
    @Get("/organizations/{org}")
    public TenantJson.Organization getOrganization(HttpRequest<?> request, @PathVariable String org) {
        inOrganization(request, org, Role.VIEWER);
        return TenantJsonMapper.toJson(registry(request).getOrganization(GetOrganizationRequest.newBuilder().setName(org).build())
                .getOrganization());
    }

    /** Changes display name and labels, if {@code version} is still current (409 otherwise). The organization's admin. */
    @Patch("/organizations/{org}")
    public TenantJson.Organization updateOrganization(HttpRequest<?> request, @PathVariable String org,
                                                      @Body TenantJson.Update body) {
        inOrganization(request, org, Role.ADMIN);
        return TenantJsonMapper.toJson(registry(request).updateOrganization(TenantJsonMapper.toUpdate(org, body)).getOrganization());
    }

    /**
     * Refused (409) while the organization has projects, unless {@code ?force=true} (then its projects'
     * databases are deleted first, and its projects with it). Its tokens are
     * revoked and its audit records filed under its name and the time of deletion, so that a new
     * organization of the same name starts clean. Cluster-wide admin.
     */
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/organizations/{org}")
    public HttpResponse<Void> deleteOrganization(HttpRequest<?> request, @PathVariable String org,
                                                 @QueryValue(defaultValue = "false") boolean force) {
        Caller caller = AuthenticationFilter.caller(request);
        inOrganization(request, org, Role.VIEWER);
        caller.requireCluster(Role.ADMIN);
        AuditLog.touches(request, deletion.delete(RequestIdFilter.requestId(request), org, force));
        return HttpResponse.noContent();
    }

    /** Creates a project in the organization; project names are unique across Orchestry. The organization's admin. */
    @Status(HttpStatus.CREATED)
    @Post("/organizations/{org}/projects")
    public HttpResponse<TenantJson.Project> createProject(HttpRequest<?> request, @PathVariable String org,
                                                          @Body TenantJson.Create body) {
        inOrganization(request, org, Role.ADMIN);
        var project = TenantJsonMapper.toJson(registry(request).createProject(TenantJsonMapper.toCreateProject(org, body)).getProject());
        return HttpResponse.created(project, URI.create("/api/v1/projects/" + project.name()));
    }

    /**
     * Lists the organization's projects by name.
     *
     * @param limit     page size: 0 (the default) means 100, at most 1000 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/organizations/{org}/projects")
    public TenantJson.ProjectPage listProjects(HttpRequest<?> request, @PathVariable String org,
                                               @QueryValue(defaultValue = "0") int limit, @Nullable @QueryValue String pageToken) {
        inOrganization(request, org, Role.VIEWER);
        ListProjectsResponse page = registry(request).listProjects(ListProjectsRequest.newBuilder().setOrganization(org)
                .setPageSize(limit).setPageToken(TenantJsonMapper.orEmpty(pageToken)).build());
        return new TenantJson.ProjectPage(page.getProjectsList().stream().map(TenantJsonMapper::toJson).toList(),
                TenantJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** One project. */
    @Get("/projects/{project}")
    public TenantJson.Project getProject(HttpRequest<?> request, @PathVariable String project) {
        return TenantJsonMapper.toJson(visibleProject(request, project, Role.VIEWER));
    }

    /**
     * Deletes a project. Refused (409) while it still has a database, unless {@code ?force=true}: then its
     * database (data included) is deleted first. The organization's admin.
     */
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/projects/{project}")
    public HttpResponse<Void> deleteProject(HttpRequest<?> request, @PathVariable String project,
                                            @QueryValue(defaultValue = "false") boolean force) {
        String organization = visibleProject(request, project, Role.ADMIN).getOrganization();
        if (force) {
            databases.remove(RequestIdFilter.requestId(request), project);
        }
        registry(request).deleteProject(DeleteProjectRequest.newBuilder().setName(project).setOrganization(organization)
                .setForce(force).build());
        return HttpResponse.noContent();
    }

    /** The project, when the caller's organization owns it (404 otherwise) and its role is at least {@code least}. */
    private io.orchestry.registry.v1.Project visibleProject(HttpRequest<?> request, String project, Role least) {
        var found = registry(request).getProject(GetProjectRequest.newBuilder().setName(project).build()).getProject();
        requireIn(request, found.getOrganization(), least, "project", project);
        return found;
    }

    /**
     * Checks that the caller may act on organization {@code org} with at least {@code least} (404
     * when it is not its organization, 403 when its role is too low) and, when it may see it, marks
     * the request as touching it for the audit log.
     */
    private static void inOrganization(HttpRequest<?> request, String org, Role least) {
        requireIn(request, org, least, "organization", org);
    }

    /** {@link Caller#requireIn}, marking the request as touching {@code org} once the caller may see it. */
    private static void requireIn(HttpRequest<?> request, String org, Role least, String kind, String name) {
        Caller caller = AuthenticationFilter.caller(request);
        if (caller.sees(org)) {
            AuditLog.touches(request, org);
        }
        caller.requireIn(org, least, kind, name);
    }

    private RegistryServiceGrpc.RegistryServiceBlockingStub registry(HttpRequest<?> request) {
        return stubs.registry(RequestIdFilter.requestId(request));
    }
}
