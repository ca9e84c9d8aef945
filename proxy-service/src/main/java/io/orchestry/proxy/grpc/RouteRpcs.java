package io.orchestry.proxy.grpc;

import io.orchestry.paging.PageRequest;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RoutePage;
import io.orchestry.proxy.routes.ApplyWait;
import io.orchestry.proxy.routes.RouteCommands;
import io.orchestry.proxy.routes.RouteQueries;
import io.orchestry.proxy.v1.*;
import jakarta.inject.Singleton;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The route RPCs: map the request, call the use case, ask for the revision that carries a change, map the answer. */
@Singleton
class RouteRpcs {
    /** The contract's largest page. */
    static final int MAX_PAGE = 500;

    private final RouteCommands commands;
    private final RouteQueries queries;
    private final ApplyWait apply;

    RouteRpcs(RouteCommands commands, RouteQueries queries, ApplyWait apply) {
        this.commands = commands;
        this.queries = queries;
        this.apply = apply;
    }

    CreateRouteResponse create(CreateRouteRequest r) {
        Route route = commands.create(RouteProtoMapper.toRequest(r.getApp(), r.getHostsList(), r.getPathPrefix(),
                r.getStripPrefix(), r.getPortName(), r.hasTls(), r.getTls(), r.getLoadBalancing(), r.hasTimeouts(),
                r.getTimeouts(), r.getIsDefault()));
        var b = CreateRouteResponse.newBuilder().setRoute(RouteProtoMapper.toProto(route));
        revision(route.id(), "created").ifPresent(rev -> b.setRevision(RevisionProtoMapper.toProto(rev)));
        return b.build();
    }

    GetRouteResponse get(GetRouteRequest request) {
        return GetRouteResponse.newBuilder().setRoute(RouteProtoMapper.toProto(queries.get(request.getId()))).build();
    }

    ListRoutesResponse list(ListRoutesRequest request) {
        RoutePage found = queries.list(request.getProject(), request.getApp(), PageRequest.ofGrpc(RouteQueries.ROUTES,
                Math.min(request.getPageSize(), MAX_PAGE), request.getPageToken()));
        return ListRoutesResponse.newBuilder().addAllRoutes(found.page().map(RouteProtoMapper::toProto).items())
                .setNextPageToken(found.page().nextPageToken()).setResourceVersion(found.resourceVersion()).build();
    }

    UpdateRouteResponse update(UpdateRouteRequest r) {
        Set<String> paths = new HashSet<>(r.getUpdateMask().getPathsList());
        Route route = commands.update(r.getId(), r.getVersion(), paths, RouteProtoMapper.toRequest(r.getApp(),
                r.getHostsList(), r.getPathPrefix(), r.getStripPrefix(), r.getPortName(), r.hasTls(), r.getTls(),
                paths.contains("load_balancing") ? r.getLoadBalancing() : io.orchestry.proxy.v1.LoadBalancing.LOAD_BALANCING_UNSPECIFIED,
                r.hasTimeouts(), r.getTimeouts(), r.getIsDefault()));
        var b = UpdateRouteResponse.newBuilder().setRoute(RouteProtoMapper.toProto(route));
        revision(route.id(), "updated").ifPresent(rev -> b.setRevision(RevisionProtoMapper.toProto(rev)));
        return b.build();
    }

    DeleteRouteResponse delete(DeleteRouteRequest request) {
        Route deleted = commands.delete(request.getId());
        var b = DeleteRouteResponse.newBuilder();
        revision(deleted.id(), "deleted").ifPresent(rev -> b.setRevision(RevisionProtoMapper.toProto(rev)));
        return b.build();
    }

    private Optional<Revision> revision(String id, String what) {
        return apply.after(RevisionTrigger.ROUTE_CHANGE, "route " + id + " " + what);
    }
}
