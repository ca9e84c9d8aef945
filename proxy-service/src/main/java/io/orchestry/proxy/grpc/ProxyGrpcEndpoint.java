package io.orchestry.proxy.grpc;

import io.grpc.stub.StreamObserver;
import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.proxy.metrics.RequestMetricsStream;
import io.orchestry.proxy.v1.*;

/**
 * The proxy service's v1 contract: routes through {@link RouteRpcs}, nginx and its revisions through
 * {@link ConfigRpcs}, events through {@link EventRpcs}, request metrics from the access log through
 * {@link RequestMetricsStream}.
 */
@GrpcService
public class ProxyGrpcEndpoint extends ProxyServiceGrpc.ProxyServiceImplBase {
    private final RouteRpcs routes;
    private final ConfigRpcs config;
    private final EventRpcs events;
    private final RequestMetricsStream metrics;

    ProxyGrpcEndpoint(RouteRpcs routes, ConfigRpcs config, EventRpcs events, RequestMetricsStream metrics) {
        this.routes = routes;
        this.config = config;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void createRoute(CreateRouteRequest request, StreamObserver<CreateRouteResponse> response) {
        reply(response, routes.create(request));
    }

    @Override
    public void getRoute(GetRouteRequest request, StreamObserver<GetRouteResponse> response) {
        reply(response, routes.get(request));
    }

    @Override
    public void listRoutes(ListRoutesRequest request, StreamObserver<ListRoutesResponse> response) {
        reply(response, routes.list(request));
    }

    @Override
    public void updateRoute(UpdateRouteRequest request, StreamObserver<UpdateRouteResponse> response) {
        reply(response, routes.update(request));
    }

    @Override
    public void deleteRoute(DeleteRouteRequest request, StreamObserver<DeleteRouteResponse> response) {
        reply(response, routes.delete(request));
    }

    @Override
    public void getProxyStatus(GetProxyStatusRequest request, StreamObserver<GetProxyStatusResponse> response) {
        reply(response, config.status());
    }

    @Override
    public void getProxyConfig(GetProxyConfigRequest request, StreamObserver<GetProxyConfigResponse> response) {
        reply(response, config.config(request));
    }

    @Override
    public void listConfigRevisions(ListConfigRevisionsRequest request, StreamObserver<ListConfigRevisionsResponse> response) {
        reply(response, config.list(request));
    }

    @Override
    public void reloadProxy(ReloadProxyRequest request, StreamObserver<ReloadProxyResponse> response) {
        reply(response, config.reload(request));
    }

    @Override
    public void streamRequestMetrics(StreamRequestMetricsRequest request, StreamObserver<StreamRequestMetricsResponse> response) {
        metrics.stream(request, response);
    }

    @Override
    public void watchProxyEvents(WatchProxyEventsRequest request, StreamObserver<WatchProxyEventsResponse> response) {
        events.watch(request, response);
    }

    private static <T> void reply(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
