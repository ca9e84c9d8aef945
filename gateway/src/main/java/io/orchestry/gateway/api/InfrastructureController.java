package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotImplementedException;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.registry.v1.CordonNodeRequest;
import io.orchestry.registry.v1.DeregisterNodeRequest;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.UncordonNodeRequest;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/infrastructure}: one view of every resource and the common actions on it, each
 * the same call its own endpoint makes. For a node, start is uncordon, stop is cordon, delete is
 * deregister (cluster-wide admins). Apps, instances, databases and routes answer 501 until their
 * services serve them.
 */
@Controller("/api/v1/infrastructure")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "ops")
public class InfrastructureController {
    private static final Set<String> TYPES = Set.of("node", "app", "instance", "database", "route");
    private static final List<String> NOT_YET = List.of(
            "app, instance, database: provisioner-service does not serve them yet",
            "route: proxy-service does not serve them yet");
    private static final int MAX_NODES = 10_000;
    /** The largest page the registry serves. */
    private static final int PAGE_SIZE = io.orchestry.paging.PageRequest.MAX_SIZE;

    private final ServiceStubs stubs;

    public InfrastructureController(ServiceStubs stubs) {
        this.stubs = stubs;
    }

    /**
     * Every resource, or those of one type.
     *
     * @param type node, app, instance, database or route
     */
    @Get
    public InfrastructureJson.View list(HttpRequest<?> request, @Nullable @QueryValue String type) {
        AuthenticationFilter.caller(request).require(Role.VIEWER);
        if (type != null && !type.isBlank()) {
            requireType(type);
        }
        List<InfrastructureJson.Resource> items = new ArrayList<>();
        if (type == null || type.isBlank() || type.equals("node")) {
            RegistryServiceGrpc.RegistryServiceBlockingStub registry = stubs.registry(RequestIdFilter.requestId(request));
            String pageToken = "";
            do {
                ListNodesResponse page = registry.listNodes(ListNodesRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(pageToken).build());
                page.getNodesList().forEach(n -> {
                    NodeJson node = NodeJsonMapper.toJson(n);
                    items.add(new InfrastructureJson.Resource("node", node.name(), node.status(),
                            node.driverKind() + (node.region().isEmpty() ? "" : " in " + node.region())
                                    + (node.schedulingMode().equals("schedulable") ? "" : ", " + node.schedulingMode()),
                            List.of("start: uncordon", "stop: cordon", "delete: deregister")));
                });
                pageToken = page.getNextPageToken();
            } while (!pageToken.isEmpty() && items.size() < MAX_NODES);
        }
        return new InfrastructureJson.View(items, NOT_YET);
    }

    /** Starts the resource: for a node, uncordon. */
    @io.micronaut.http.annotation.Status(HttpStatus.NO_CONTENT)
    @Post("/{type}/{id}/start")
    public HttpResponse<Void> start(HttpRequest<?> request, @PathVariable String type, @PathVariable String id) {
        node(request, type).uncordonNode(UncordonNodeRequest.newBuilder().setName(id).build());
        return HttpResponse.noContent();
    }

    /** Stops the resource: for a node, cordon (what runs there stays; use drain to move it away). */
    @io.micronaut.http.annotation.Status(HttpStatus.NO_CONTENT)
    @Post("/{type}/{id}/stop")
    public HttpResponse<Void> stop(HttpRequest<?> request, @PathVariable String type, @PathVariable String id) {
        node(request, type).cordonNode(CordonNodeRequest.newBuilder().setName(id).build());
        return HttpResponse.noContent();
    }

    /** Deletes the resource: for a node, deregister (refused while it runs workloads, unless {@code ?force=true}). */
    @io.micronaut.http.annotation.Status(HttpStatus.NO_CONTENT)
    @Delete("/{type}/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String type, @PathVariable String id,
                                     @QueryValue(defaultValue = "false") boolean force) {
        node(request, type).deregisterNode(DeregisterNodeRequest.newBuilder().setName(id).setForce(force).build());
        return HttpResponse.noContent();
    }

    /** The registry, for an action on a node by a cluster-wide admin; other types are not served yet. */
    private RegistryServiceGrpc.RegistryServiceBlockingStub node(HttpRequest<?> request, String type) {
        AuthenticationFilter.caller(request).require(Role.OPERATOR);
        requireType(type);
        if (!type.equals("node")) {
            throw new NotImplementedException("no service serves " + type + " resources yet");
        }
        AuthenticationFilter.caller(request).requireCluster(Role.ADMIN);
        return stubs.registry(RequestIdFilter.requestId(request));
    }

    private static void requireType(String type) {
        if (!TYPES.contains(type)) {
            throw new InvalidArgumentException("type", "one of node, app, instance, database, route");
        }
    }
}
