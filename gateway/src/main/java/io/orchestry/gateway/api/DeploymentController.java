package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.error.Violations;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.Deployment;
import io.orchestry.provisioner.v1.GetDeploymentRequest;
import io.orchestry.provisioner.v1.GetDeploymentStatsRequest;
import io.orchestry.provisioner.v1.GetDeploymentStatsResponse;
import io.orchestry.provisioner.v1.ListDeploymentsRequest;
import io.orchestry.provisioner.v1.ListDeploymentsResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/** Rollouts: {@code /api/v1/apps/{app}/deployments} and {@code /api/v1/deployments}, newest first. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "apps")
public class DeploymentController {
    private final ServiceStubs stubs;
    private final AppAccess access;

    public DeploymentController(ServiceStubs stubs, AppAccess access) {
        this.stubs = stubs;
        this.access = access;
    }

    /**
     * The app's rollout history, newest first.
     *
     * @param state     comma-separated states: pending, in_progress, succeeded, failed, rolled_back, superseded
     * @param limit     page size: 0 (the default) means 100, at most 500 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/apps/{app}/deployments")
    public DeploymentJson.Page ofApp(HttpRequest<?> request, @PathVariable String app, @QueryValue(defaultValue = "0") int limit,
                                     @Nullable @QueryValue String pageToken, @Nullable @QueryValue String state) {
        App found = access.app(request, app, Role.VIEWER);
        return page(request, query(limit, pageToken, state).setApp(app).setProject(found.getProject()), AppAccess.Scope.of(""));
    }

    /**
     * Every rollout the caller may see across apps, newest first, filtered by app, project and state.
     * Without {@code project} or {@code app}, a page may hold fewer than {@code limit}.
     *
     * @param state     comma-separated states: pending, in_progress, succeeded, failed, rolled_back, superseded
     * @param limit     page size: 0 (the default) means 100, at most 500 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/deployments")
    public DeploymentJson.Page list(HttpRequest<?> request, @QueryValue(defaultValue = "0") int limit,
                                    @Nullable @QueryValue String pageToken, @Nullable @QueryValue String app,
                                    @Nullable @QueryValue String project, @Nullable @QueryValue String state) {
        ListDeploymentsRequest.Builder query = query(limit, pageToken, state);
        if (app != null && !app.isBlank()) {
            App found = access.app(request, app, Role.VIEWER);
            if (project != null && !project.isBlank() && !project.equals(found.getProject())) {
                return new DeploymentJson.Page(List.of(), null);
            }
            return page(request, query.setApp(app).setProject(found.getProject()), AppAccess.Scope.of(""));
        }
        AppAccess.Scope scope = access.scope(request, project);
        if (scope.empty()) {
            return new DeploymentJson.Page(List.of(), null);
        }
        return page(request, query.setProject(scope.project()), scope);
    }

    /**
     * Counts of rollouts by state and their mean duration, for an app, a project, or everything the caller sees.
     *
     * @param since only rollouts created at or after this ISO-8601 time
     */
    @Get("/deployments/stats")
    public DeploymentJson.Stats stats(HttpRequest<?> request, @Nullable @QueryValue String app,
                                      @Nullable @QueryValue String project, @Nullable @QueryValue String since) {
        GetDeploymentStatsRequest.Builder query = GetDeploymentStatsRequest.newBuilder();
        if (since != null && !since.isBlank()) {
            Violations violations = new Violations();
            var at = JsonValues.parseInstant(since, "since", violations);
            violations.throwIfAny();
            query.setSince(ProtoTimes.toTimestamp(at));
        }
        if (app != null && !app.isBlank()) {
            App found = access.app(request, app, Role.VIEWER);
            return AppJsonMapper.toJson(List.of(provisioner(request).getDeploymentStats(
                    query.setApp(app).setProject(found.getProject()).build())));
        }
        AppAccess.Scope scope = access.scope(request, project);
        if (scope.projects() == null) {
            // one project, or every project (a cluster-wide token)
            return AppJsonMapper.toJson(List.of(provisioner(request).getDeploymentStats(query.setProject(scope.project()).build())));
        }
        List<GetDeploymentStatsResponse> answers = new ArrayList<>();
        for (String one : scope.projects()) {
            answers.add(provisioner(request).getDeploymentStats(query.setProject(one).build()));
        }
        return AppJsonMapper.toJson(answers);
    }

    /** One rollout. */
    @Get("/deployments/{id}")
    public DeploymentJson get(HttpRequest<?> request, @PathVariable String id) {
        Deployment deployment = provisioner(request).getDeployment(GetDeploymentRequest.newBuilder().setId(id).build()).getDeployment();
        access.inProject(request, deployment.getProject(), Role.VIEWER, "deployment", id);
        return AppJsonMapper.toJson(deployment);
    }

    private static ListDeploymentsRequest.Builder query(int limit, @Nullable String pageToken, @Nullable String state) {
        ListDeploymentsRequest.Builder query = ListDeploymentsRequest.newBuilder().setPageSize(limit)
                .setPageToken(pageToken == null ? "" : pageToken);
        if (state != null && !state.isBlank()) {
            Violations violations = new Violations();
            for (String one : state.split(",", 0)) {
                var parsed = AppJsonMapper.parseDeploymentState(one.trim(), "state", violations);
                if (parsed != null) {
                    query.addStates(parsed);
                }
            }
            violations.throwIfAny();
        }
        return query;
    }

    private DeploymentJson.Page page(HttpRequest<?> request, ListDeploymentsRequest.Builder query, AppAccess.Scope scope) {
        ListDeploymentsResponse page = provisioner(request).listDeployments(query.build());
        return new DeploymentJson.Page(page.getDeploymentsList().stream().filter(d -> scope.visible(d.getProject()))
                .map(AppJsonMapper::toJson).toList(), AppJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    private ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner(HttpRequest<?> request) {
        return stubs.provisioner(RequestIdFilter.requestId(request));
    }
}
