package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.Violations;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.CreateAppResponse;
import io.orchestry.provisioner.v1.DeleteAppRequest;
import io.orchestry.provisioner.v1.DeleteInstanceRequest;
import io.orchestry.provisioner.v1.ListAppsRequest;
import io.orchestry.provisioner.v1.ListAppsResponse;
import io.orchestry.provisioner.v1.ListInstancesRequest;
import io.orchestry.provisioner.v1.ListInstancesResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.provisioner.v1.RestartAppRequest;
import io.orchestry.provisioner.v1.RestartAppResponse;
import io.orchestry.provisioner.v1.RollbackAppRequest;
import io.orchestry.provisioner.v1.RollbackAppResponse;
import io.orchestry.provisioner.v1.ScaleAppRequest;
import io.orchestry.provisioner.v1.StartAppRequest;
import io.orchestry.provisioner.v1.StopAppRequest;
import io.orchestry.provisioner.v1.UpdateAppResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/**
 * {@code /api/v1/apps}: the provisioner's apps and their instances. Maps and delegates; the
 * provisioner holds the rules. Reading needs any role in the app's organization, acting needs
 * operator; another organization's apps answer 404.
 */
@Controller("/api/v1/apps")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "apps")
public class AppController {
    private final ServiceStubs stubs;
    private final AppAccess access;

    public AppController(ServiceStubs stubs, AppAccess access) {
        this.stubs = stubs;
        this.access = access;
    }

    /** Creates an app in a project and starts its first rollout. Operator of the project's organization. */
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<AppJson.Rollout> create(HttpRequest<?> request, @Body AppRequestJson.Create body) {
        if (body.project() == null || body.project().isBlank()) {
            throw new InvalidArgumentException("project", "required: the project that owns the app");
        }
        access.project(request, body.project(), Role.OPERATOR);
        CreateAppResponse created = provisioner(request).createApp(AppJsonMapper.toRequest(body));
        return HttpResponse.created(AppJsonMapper.toJson(created.getApp(), created.hasDeployment(), created.getDeployment()),
                URI.create("/api/v1/apps/" + created.getApp().getName()));
    }

    /**
     * Lists apps by name, filtered by project and label selector such as {@code tier=front,env!=dev}.
     * Without {@code project}, the apps of every project the caller sees (a page may then hold fewer than {@code limit}).
     *
     * @param limit     page size: 0 (the default) means 100, at most 500 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get
    public AppJson.Page list(HttpRequest<?> request, @QueryValue(defaultValue = "0") int limit,
                             @Nullable @QueryValue String pageToken, @Nullable @QueryValue String project,
                             @Nullable @QueryValue String labelSelector) {
        AppAccess.Scope scope = access.scope(request, project);
        if (scope.empty()) {
            return new AppJson.Page(java.util.List.of(), null);
        }
        ListAppsResponse page = provisioner(request).listApps(ListAppsRequest.newBuilder().setPageSize(limit)
                .setPageToken(pageToken == null ? "" : pageToken).setProject(scope.project())
                .setLabelSelector(labelSelector == null ? "" : labelSelector).build());
        return new AppJson.Page(page.getAppsList().stream().filter(a -> scope.visible(a.getProject()))
                .map(AppJsonMapper::toJson).toList(), AppJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** One app: spec, status with conditions, generation, revision. */
    @Get("/{app}")
    public AppJson get(HttpRequest<?> request, @PathVariable String app) {
        return AppJsonMapper.toJson(access.app(request, app, Role.VIEWER));
    }

    /** Replaces labels and spec, if {@code version} is still current (409 otherwise); a change of what runs rolls out a new revision. */
    @Put("/{app}")
    public AppJson.Rollout replace(HttpRequest<?> request, @PathVariable String app, @Body AppRequestJson.Update body) {
        access.app(request, app, Role.OPERATOR);
        UpdateAppResponse updated = provisioner(request).updateApp(AppJsonMapper.toRequest(app, body, true));
        return AppJsonMapper.toJson(updated.getApp(), updated.hasDeployment(), updated.getDeployment());
    }

    /** Changes only the labels or spec fields the body gives, if {@code version} is still current (409 otherwise). */
    @Patch("/{app}")
    public AppJson.Rollout update(HttpRequest<?> request, @PathVariable String app, @Body AppRequestJson.Update body) {
        access.app(request, app, Role.OPERATOR);
        UpdateAppResponse updated = provisioner(request).updateApp(AppJsonMapper.toRequest(app, body, false));
        return AppJsonMapper.toJson(updated.getApp(), updated.hasDeployment(), updated.getDeployment());
    }

    /** Removes the replicas, then the app; its deployments stay in the history. */
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/{app}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String app) {
        access.app(request, app, Role.OPERATOR);
        provisioner(request).deleteApp(DeleteAppRequest.newBuilder().setName(app).build());
        return HttpResponse.noContent();
    }

    /** Runs the app again at its spec's replicas after a stop. */
    @Post("/{app}/start")
    public AppJson start(HttpRequest<?> request, @PathVariable String app) {
        access.app(request, app, Role.OPERATOR);
        return AppJsonMapper.toJson(provisioner(request).startApp(StartAppRequest.newBuilder().setName(app).build()).getApp());
    }

    /** Zero replicas; the spec, replicas included, is kept for start. */
    @Post("/{app}/stop")
    public AppJson stop(HttpRequest<?> request, @PathVariable String app) {
        access.app(request, app, Role.OPERATOR);
        return AppJsonMapper.toJson(provisioner(request).stopApp(StopAppRequest.newBuilder().setName(app).build()).getApp());
    }

    /** Replaces every replica, following the deployment strategy, with the same revision. */
    @Post("/{app}/restart")
    public AppJson.Rollout restart(HttpRequest<?> request, @PathVariable String app) {
        access.app(request, app, Role.OPERATOR);
        RestartAppResponse restarted = provisioner(request).restartApp(RestartAppRequest.newBuilder().setName(app).build());
        return AppJsonMapper.toJson(restarted.getApp(), restarted.hasDeployment(), restarted.getDeployment());
    }

    /** Sets the replicas without a new revision. */
    @Post("/{app}/scale")
    public AppJson scale(HttpRequest<?> request, @PathVariable String app, @Body AppRequestJson.Scale body) {
        if (body.replicas() == null) {
            throw new InvalidArgumentException("replicas", "required: 0 or more");
        }
        access.app(request, app, Role.OPERATOR);
        ScaleAppRequest.Builder scale = ScaleAppRequest.newBuilder().setName(app).setReplicas(body.replicas());
        if (body.reason() != null) {
            scale.setReason(body.reason());
        }
        if (body.version() != null) {
            scale.setVersion(body.version());
        }
        return AppJsonMapper.toJson(provisioner(request).scaleApp(scale.build()).getApp());
    }

    /** Rolls out an earlier revision's spec as a new revision (by default the one before the current one). */
    @Post("/{app}/rollback")
    public AppJson.Rollout rollback(HttpRequest<?> request, @PathVariable String app, @Nullable @Body AppRequestJson.Rollback body) {
        access.app(request, app, Role.OPERATOR);
        RollbackAppResponse rolled = provisioner(request).rollbackApp(RollbackAppRequest.newBuilder().setName(app)
                .setToRevision(body == null || body.toRevision() == null ? 0 : body.toRevision()).build());
        return AppJsonMapper.toJson(rolled.getApp(), rolled.hasDeployment(), rolled.getDeployment());
    }

    /**
     * The app's replicas: node, address, ports, state, health, restarts, CPU, memory, last error.
     *
     * @param state     comma-separated states: pending, starting, running, stopping, stopped, failed
     * @param limit     page size: 0 (the default) means 100, at most 500 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/{app}/instances")
    public InstanceJson.Page instances(HttpRequest<?> request, @PathVariable String app,
                                       @QueryValue(defaultValue = "0") int limit, @Nullable @QueryValue String pageToken,
                                       @Nullable @QueryValue String state, @Nullable @QueryValue String node) {
        App found = access.app(request, app, Role.VIEWER);
        ListInstancesRequest.Builder query = ListInstancesRequest.newBuilder().setApp(app).setProject(found.getProject())
                .setPageSize(limit).setPageToken(pageToken == null ? "" : pageToken).setNodeName(node == null ? "" : node);
        if (state != null && !state.isBlank()) {
            Violations violations = new Violations();
            for (String one : state.split(",", 0)) {
                var parsed = AppJsonMapper.parseInstanceState(one.trim(), "state", violations);
                if (parsed != null) {
                    query.addStates(parsed);
                }
            }
            violations.throwIfAny();
        }
        ListInstancesResponse page = provisioner(request).listInstances(query.build());
        return new InstanceJson.Page(page.getInstancesList().stream().map(AppJsonMapper::toJson).toList(),
                AppJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** Stops one replica; the reconciler replaces it. 404 when it is not one of the app's. */
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/{app}/instances/{id}")
    public HttpResponse<Void> deleteInstance(HttpRequest<?> request, @PathVariable String app, @PathVariable String id) {
        App found = access.app(request, app, Role.OPERATOR);
        if (!hasInstance(request, found, id)) {
            throw new NotFoundException("instance", id);
        }
        provisioner(request).deleteInstance(DeleteInstanceRequest.newBuilder().setId(id).build());
        return HttpResponse.noContent();
    }

    private boolean hasInstance(HttpRequest<?> request, App app, String id) {
        String token = "";
        do {
            ListInstancesResponse page = provisioner(request).listInstances(ListInstancesRequest.newBuilder()
                    .setApp(app.getName()).setProject(app.getProject()).setPageSize(500).setPageToken(token).build());
            if (page.getInstancesList().stream().anyMatch(i -> i.getId().equals(id))) {
                return true;
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return false;
    }

    private ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner(HttpRequest<?> request) {
        return stubs.provisioner(RequestIdFilter.requestId(request));
    }
}
