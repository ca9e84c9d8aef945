package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.App;
import io.orchestry.proxy.v1.CreateRouteResponse;
import io.orchestry.proxy.v1.DeleteRouteRequest;
import io.orchestry.proxy.v1.GetRouteRequest;
import io.orchestry.proxy.v1.ListRoutesRequest;
import io.orchestry.proxy.v1.ListRoutesResponse;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
import io.orchestry.proxy.v1.Route;
import io.orchestry.proxy.v1.UpdateRouteRequest;
import io.orchestry.proxy.v1.UpdateRouteResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/**
 * {@code /api/v1/routes}: the proxy's routes, host names and/or a path prefix to an app. Maps and
 * delegates; the proxy validates every value. A route belongs to its app's project (the
 * provisioner's GetApp says which): any role in that project's organization reads it, operators and
 * admins create, replace and delete it; another organization's routes answer 404. No answer carries
 * a route's private key.
 */
@Controller("/api/v1/routes")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "proxy")
public class RouteController {
    static final String KIND = "route";

    private final ServiceStubs stubs;
    private final AppAccess access;

    public RouteController(ServiceStubs stubs, AppAccess access) {
        this.stubs = stubs;
        this.access = access;
    }

    /**
     * Routes an app's traffic; the answer carries the configuration revision that applies it. 409 when
     * the hosts and path prefix are another route's. Operator of the app's organization.
     */
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<RouteJson.Change> create(HttpRequest<?> request, @Body RouteRequestJson.Route body) {
        var create = RouteJsonMapper.toCreate(body);
        access.app(request, create.getApp(), Role.OPERATOR);
        CreateRouteResponse created = proxy(request).createRoute(create);
        return HttpResponse.created(change(request, created.getRoute(), created.hasRevision(), created.getRevision()),
                URI.create("/api/v1/routes/" + created.getRoute().getId()));
    }

    /**
     * Lists routes, of one project or app, otherwise of every project the caller sees (a page may then
     * hold fewer than {@code limit}).
     *
     * @param limit     page size: 0 (the default) means 100, at most 500 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get
    public RouteJson.Page list(HttpRequest<?> request, @QueryValue(defaultValue = "0") int limit,
                               @Nullable @QueryValue String pageToken, @Nullable @QueryValue String project,
                               @Nullable @QueryValue String app) {
        ListRoutesRequest.Builder query = ListRoutesRequest.newBuilder().setPageSize(limit)
                .setPageToken(pageToken == null ? "" : pageToken);
        AppAccess.Scope scope;
        if (app != null && !app.isBlank()) {
            App found = access.app(request, app, Role.VIEWER);
            if (project != null && !project.isBlank() && !project.equals(found.getProject())) {
                return new RouteJson.Page(List.of(), null);
            }
            scope = AppAccess.Scope.of(found.getProject());
            query.setApp(app);
        } else {
            scope = access.scope(request, project);
        }
        if (scope.empty()) {
            return new RouteJson.Page(List.of(), null);
        }
        ListRoutesResponse page = proxy(request).listRoutes(query.setProject(scope.project()).build());
        return new RouteJson.Page(page.getRoutesList().stream().filter(r -> scope.visible(r.getProject()))
                .map(RouteJsonMapper::toJson).toList(), AppJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** One route: hosts, path, app and port, TLS certificate (never its key), load balancing, timeouts. */
    @Get("/{id}")
    public RouteJson get(HttpRequest<?> request, @PathVariable String id) {
        return RouteJsonMapper.toJson(route(request, id, Role.VIEWER));
    }

    /**
     * Replaces every field, if {@code version} is still current (409 otherwise): an absent field takes
     * its default, an absent {@code tls} means plain HTTP (the key is never read back: send it again to
     * keep TLS). Operator of the route's organization, and of the new app's when it moves.
     */
    @Put("/{id}")
    public RouteJson.Change replace(HttpRequest<?> request, @PathVariable String id, @Body RouteRequestJson.Route body) {
        UpdateRouteRequest update = RouteJsonMapper.toUpdate(id, body);
        Route current = route(request, id, Role.OPERATOR);
        if (!current.getApp().equals(update.getApp())) {
            access.app(request, update.getApp(), Role.OPERATOR);
        }
        UpdateRouteResponse updated = proxy(request).updateRoute(update);
        return change(request, updated.getRoute(), updated.hasRevision(), updated.getRevision());
    }

    /** Stops routing; the change is applied as a new configuration revision. Operator. */
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String id) {
        route(request, id, Role.OPERATOR);
        proxy(request).deleteRoute(DeleteRouteRequest.newBuilder().setId(id).build());
        return HttpResponse.noContent();
    }

    /** The route, once the caller may act on it with at least {@code least} (404 when it is another organization's). */
    private Route route(HttpRequest<?> request, String id, Role least) {
        Route route = proxy(request).getRoute(GetRouteRequest.newBuilder().setId(id).build()).getRoute();
        access.inProject(request, route.getProject(), least, KIND, id);
        return route;
    }

    /**
     * The route and its revision. A revision can carry a batch of several organizations' changes: a caller who is not
     * cluster-wide sees no reason (it names the batch's routes) and the error only when it is about this route.
     */
    private static RouteJson.Change change(HttpRequest<?> request, Route route, boolean hasRevision,
                                           io.orchestry.proxy.v1.ConfigRevision revision) {
        if (!hasRevision) {
            return new RouteJson.Change(RouteJsonMapper.toJson(route), null);
        }
        io.orchestry.proxy.v1.ConfigRevision shown = revision;
        if (!AuthenticationFilter.caller(request).clusterWide()) {
            String error = revision.getError().isEmpty() || revision.getError().contains(route.getId()) ? revision.getError()
                    : "another route's change in the same revision failed; this route's change was not applied with it";
            shown = revision.toBuilder().setReason("").setError(error).build();
        }
        return new RouteJson.Change(RouteJsonMapper.toJson(route), RouteJsonMapper.toJson(shown, false));
    }

    private ProxyServiceGrpc.ProxyServiceBlockingStub proxy(HttpRequest<?> request) {
        return stubs.proxy(RequestIdFilter.requestId(request));
    }
}
