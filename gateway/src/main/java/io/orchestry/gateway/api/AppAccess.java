package io.orchestry.gateway.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.orchestry.error.NotFoundException;
import io.orchestry.gateway.audit.AuditLog;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.GetAppRequest;
import io.orchestry.registry.v1.GetProjectRequest;
import io.orchestry.registry.v1.ListProjectsRequest;
import io.orchestry.registry.v1.ListProjectsResponse;
import io.orchestry.registry.v1.Project;
import jakarta.inject.Singleton;

import java.util.HashSet;
import java.util.Set;

/**
 * Who may touch an app: apps belong to a project, projects to an organization (the registry's
 * GetProject says which). Reading needs any role in that organization, acting needs operator;
 * cluster-wide tokens pass. Another organization's app does not exist for a caller (404). Every
 * check marks the request as touching the organization, for its audit log.
 */
@Singleton
class AppAccess {
    private final ServiceStubs stubs;

    AppAccess(ServiceStubs stubs) {
        this.stubs = stubs;
    }

    /** The app named {@code name}, once the caller may act on it with at least {@code least}. */
    App app(HttpRequest<?> request, String name, Role least) {
        AuthenticationFilter.caller(request);
        App app = stubs.provisioner(RequestIdFilter.requestId(request)).getApp(GetAppRequest.newBuilder().setName(name).build()).getApp();
        inProject(request, app.getProject(), least, "app", name);
        return app;
    }

    /** Checks that the caller may act on things of {@code project} (404 as {@code kind}/{@code name} when not visible). */
    void inProject(HttpRequest<?> request, String project, Role least, String kind, String name) {
        Caller caller = AuthenticationFilter.caller(request);
        String organization = organizationOf(request, project);
        if (organization == null) {
            if (!caller.clusterWide()) {
                throw new NotFoundException(kind, name);
            }
        } else if (caller.sees(organization)) {
            AuditLog.touches(request, organization);
        }
        caller.requireIn(organization, least, kind, name);
    }

    /** The project itself, for creating an app in it: 404 (as the project) when it does not exist or is another's. */
    void project(HttpRequest<?> request, String project, Role least) {
        Caller caller = AuthenticationFilter.caller(request);
        Project found = stubs.registry(RequestIdFilter.requestId(request))
                .getProject(GetProjectRequest.newBuilder().setName(project).build()).getProject();
        if (caller.sees(found.getOrganization())) {
            AuditLog.touches(request, found.getOrganization());
        }
        caller.requireIn(found.getOrganization(), least, "project", project);
    }

    /**
     * What a list may show the caller: with {@code project}, that project (checked); otherwise
     * everything for a cluster-wide token, and the projects of the caller's organization for others.
     */
    Scope scope(HttpRequest<?> request, @Nullable String project) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.VIEWER);
        if (project != null && !project.isBlank()) {
            project(request, project, Role.VIEWER);
            return Scope.of(project);
        }
        if (caller.clusterWide()) {
            return Scope.of("");
        }
        Set<String> projects = new HashSet<>();
        String token = "";
        do {
            ListProjectsResponse page = stubs.registry(RequestIdFilter.requestId(request)).listProjects(ListProjectsRequest
                    .newBuilder().setOrganization(caller.organization()).setPageSize(1000).setPageToken(token).build());
            page.getProjectsList().forEach(p -> projects.add(p.getName()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        if (projects.size() == 1) {
            return Scope.of(projects.iterator().next());
        }
        return new Scope("", Set.copyOf(projects));
    }

    /**
     * The project filter to send ({@code ""}: none) and, when rows of several projects may come
     * back, the projects the caller sees (null: no filter needed).
     */
    record Scope(String project, @Nullable Set<String> projects) {
        static Scope of(String project) {
            return new Scope(project, null);
        }

        boolean visible(String project) {
            return projects == null || projects.contains(project);
        }

        /** An organization without projects: nothing to list. */
        boolean empty() {
            return projects != null && projects.isEmpty();
        }
    }

    /** The organization of {@code project}; null when the registry does not know it. */
    private @Nullable String organizationOf(HttpRequest<?> request, String project) {
        try {
            return stubs.registry(RequestIdFilter.requestId(request))
                    .getProject(GetProjectRequest.newBuilder().setName(project).build()).getProject().getOrganization();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                return null;
            }
            throw e;
        }
    }
}
