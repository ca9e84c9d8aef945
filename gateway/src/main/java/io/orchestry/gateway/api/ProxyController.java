package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.proxy.v1.GetProxyConfigRequest;
import io.orchestry.proxy.v1.GetProxyStatusRequest;
import io.orchestry.proxy.v1.ListConfigRevisionsRequest;
import io.orchestry.proxy.v1.ListConfigRevisionsResponse;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.proxy.v1.ReloadProxyRequest;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code /api/v1/proxy}: the nginx the proxy service drives. Its status (counts, no app names) is
 * for every token; the rendered configuration, its revisions and a forced reload name or touch
 * every organization's routes, so they are for cluster-wide admins only.
 */
@Controller("/api/v1/proxy")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "proxy")
public class ProxyController {
    private final ServiceStubs stubs;

    public ProxyController(ServiceStubs stubs) {
        this.stubs = stubs;
    }

    /** Whether nginx runs (managed or external), its pid and version, the revision it runs, the last reload. */
    @Get("/status")
    public ProxyStatusJson status(HttpRequest<?> request) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.VIEWER);
        ProxyStatus status = stubs.proxy(RequestIdFilter.requestId(request)).getProxyStatus(GetProxyStatusRequest.getDefaultInstance())
                .getStatus();
        if (!caller.clusterWide() && !status.getLastError().isEmpty()) {
            // a reload's error can name any organization's route, host and upstream address
            status = status.toBuilder().setLastError("see the revisions (cluster-wide admins) for the last error").build();
        }
        return RouteJsonMapper.toJson(status);
    }

    /**
     * A rendered configuration with its outcome. Cluster-wide admins only.
     *
     * @param revision the revision's number; absent: the one nginx runs
     */
    @Get("/config")
    public ConfigRevisionJson config(HttpRequest<?> request, @Nullable @QueryValue Long revision) {
        AuthenticationFilter.caller(request).requireCluster(Role.ADMIN);
        return RouteJsonMapper.toJson(stubs.proxy(RequestIdFilter.requestId(request)).getProxyConfig(GetProxyConfigRequest
                .newBuilder().setRevisionNumber(RouteJsonMapper.revisionNumber(revision)).build()).getRevision(), true);
    }

    /**
     * The configuration's history, newest first, without the config text. Cluster-wide admins only.
     *
     * @param outcome   comma-separated outcomes: pending, applied, rejected_by_nginx_test, reload_failed, rolled_back, superseded
     * @param limit     page size: 0 (the default) means 100
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/revisions")
    public ConfigRevisionJson.Page revisions(HttpRequest<?> request, @QueryValue(defaultValue = "0") int limit,
                                             @Nullable @QueryValue String pageToken, @Nullable @QueryValue String outcome) {
        AuthenticationFilter.caller(request).requireCluster(Role.ADMIN);
        ListConfigRevisionsResponse page = stubs.proxy(RequestIdFilter.requestId(request)).listConfigRevisions(
                ListConfigRevisionsRequest.newBuilder().setPageSize(limit).setPageToken(pageToken == null ? "" : pageToken)
                        .addAllOutcomes(RouteJsonMapper.parseOutcomes(outcome)).build());
        return new ConfigRevisionJson.Page(page.getRevisionsList().stream().map(r -> RouteJsonMapper.toJson(r, false)).toList(),
                AppJsonMapper.nextPageToken(page.getNextPageToken()));
    }

    /** Renders and applies the configuration now, even if nothing changed; answers with the revision's final outcome. Cluster-wide admins only. */
    @Post("/reload")
    public ConfigRevisionJson reload(HttpRequest<?> request, @Nullable @Body RouteRequestJson.Reload body) {
        AuthenticationFilter.caller(request).requireCluster(Role.ADMIN);
        String reason = body == null || body.reason() == null ? "" : body.reason();
        return RouteJsonMapper.toJson(stubs.proxyForReload(RequestIdFilter.requestId(request))
                .reloadProxy(ReloadProxyRequest.newBuilder().setReason(reason).build()).getRevision(), false);
    }
}
