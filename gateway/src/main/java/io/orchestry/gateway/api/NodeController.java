package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.registry.v1.CordonNodeRequest;
import io.orchestry.registry.v1.DeregisterNodeRequest;
import io.orchestry.registry.v1.DrainNodeRequest;
import io.orchestry.registry.v1.GetNodeIndependenceRequest;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.GetNodeStatsRequest;
import io.orchestry.registry.v1.ListNodeEventsRequest;
import io.orchestry.registry.v1.ListNodeEventsResponse;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.SendHeartbeatRequest;
import io.orchestry.registry.v1.SetNodeIndependenceRequest;
import io.orchestry.registry.v1.UncordonNodeRequest;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.Node;

import java.net.URI;

/**
 * {@code /api/v1/nodes}: the registry's fleet. Maps and delegates; the registry holds the rules.
 * Every token reads the fleet; only cluster-wide admins change it (and cluster-wide operators heartbeat).
 */
@Controller("/api/v1/nodes")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "nodes")
public class NodeController {
    private final ServiceStubs stubs;

    public NodeController(ServiceStubs stubs) {
        this.stubs = stubs;
    }

    /** Registers a node: driver kind, endpoint, region, provider, labels, capacity, credentials. Cluster-wide admin. */
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<NodeJson> register(HttpRequest<?> request, @Body RegisterNodeJson body) {
        Node node = clusterAdmin(request).registerNode(NodeJsonMapper.toRequest(body)).getNode();
        return HttpResponse.created(NodeJsonMapper.toJson(node), URI.create("/api/v1/nodes/" + node.getName()));
    }

    /**
     * Lists nodes by name, filtered by status (comma-separated), region, driver kind and label selector such as {@code disk=ssd,zone!=b}.
     *
     * @param limit     page size: 0 (the default) means 100, at most 1000 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get
    public NodeListJson list(HttpRequest<?> request,
                             @QueryValue(defaultValue = "0") int limit,
                             @Nullable @QueryValue String pageToken,
                             @Nullable @QueryValue String status,
                             @Nullable @QueryValue String region,
                             @Nullable @QueryValue String driverKind,
                             @Nullable @QueryValue String labelSelector) {
        ListNodesRequest.Builder query = ListNodesRequest.newBuilder().setPageSize(limit);
        if (pageToken != null) {
            query.setPageToken(pageToken);
        }
        if (status != null && !status.isBlank()) {
            // limit 0: trailing empty items are dropped, so a trailing comma is ignored, as it always was
            for (String one : status.split(",", 0)) {
                query.addStatuses(NodeJsonMapper.parseStatus(one.trim(), "status"));
            }
        }
        if (region != null) {
            query.setRegion(region);
        }
        if (driverKind != null && !driverKind.isBlank()) {
            query.setDriverKind(NodeJsonMapper.parseDriverKind(driverKind, "driverKind"));
        }
        if (labelSelector != null) {
            query.setLabelSelector(labelSelector);
        }
        ListNodesResponse page = registry(request).listNodes(query.build());
        return new NodeListJson(page.getNodesList().stream().map(NodeJsonMapper::toJson).toList(),
                page.getNextPageToken().isEmpty() ? null : page.getNextPageToken());
    }

    /** Counts of nodes by status, and capacity in total and allocated. */
    @Get("/stats")
    public NodeStatsJson stats(HttpRequest<?> request) {
        return NodeJsonMapper.toJson(registry(request).getNodeStats(GetNodeStatsRequest.getDefaultInstance()));
    }

    /** One node: spec, status, usage, capacity. */
    @Get("/{node}")
    public NodeJson get(HttpRequest<?> request, @PathVariable String node) {
        return NodeJsonMapper.toJson(registry(request).getNode(GetNodeRequest.newBuilder().setName(node).build()).getNode());
    }

    /** Changes the fields the body names, if {@code version} is still current (409 otherwise). */
    @Patch("/{node}")
    public NodeJson update(HttpRequest<?> request, @PathVariable String node, @Body UpdateNodeJson body) {
        return NodeJsonMapper.toJson(clusterAdmin(request).updateNode(NodeJsonMapper.toRequest(node, body)).getNode());
    }

    /** Refused (409) while the node still runs workloads, unless {@code ?force=true}. */
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/{node}")
    public HttpResponse<Void> deregister(HttpRequest<?> request, @PathVariable String node,
                                         @QueryValue(defaultValue = "false") boolean force) {
        clusterAdmin(request).deregisterNode(DeregisterNodeRequest.newBuilder().setName(node).setForce(force).build());
        return HttpResponse.noContent();
    }

    /** For agents that speak HTTP; gRPC agents use SendHeartbeat or StreamHeartbeats. */
    @Post("/{node}/heartbeat")
    public HeartbeatJson heartbeat(HttpRequest<?> request, @PathVariable String node,
                                   @Nullable @Body HeartbeatJson.Request body) {
        return NodeJsonMapper.toJson(clusterOperator(request).sendHeartbeat(SendHeartbeatRequest.newBuilder().setNodeName(node)
                .setUsage(NodeJsonMapper.toProto(body == null ? null : body.usage())).build()));
    }

    /** Stops new placements on the node; what runs there stays. Cluster-wide admin. */
    @Post("/{node}/cordon")
    public NodeJson cordon(HttpRequest<?> request, @PathVariable String node) {
        return NodeJsonMapper.toJson(clusterAdmin(request).cordonNode(CordonNodeRequest.newBuilder().setName(node).build()).getNode());
    }

    /** Lets the node take placements again. Cluster-wide admin. */
    @Post("/{node}/uncordon")
    public NodeJson uncordon(HttpRequest<?> request, @PathVariable String node) {
        return NodeJsonMapper.toJson(clusterAdmin(request).uncordonNode(UncordonNodeRequest.newBuilder().setName(node).build()).getNode());
    }

    /**
     * Cordons the node (the registry marks it draining) and has the provisioner move its replicas
     * away before the deadline; answers at once with the instances still there. Call again to follow
     * the progress. A provisioner that does not answer is a 503: the node stays draining, and the
     * provisioner also acts on a draining node it sees on its own. Cluster-wide admin.
     */
    @Post("/{node}/drain")
    public DrainedNodeJson drain(HttpRequest<?> request, @PathVariable String node, @Nullable @Body DrainJson body) {
        DrainNodeRequest.Builder drain = DrainNodeRequest.newBuilder().setName(node);
        if (body != null && body.deadline() != null) {
            drain.setDeadline(ProtoTimes.toTimestamp(body.deadline()));
        }
        Node draining = clusterAdmin(request).drainNode(drain.build()).getNode();
        io.orchestry.provisioner.v1.DrainNodeRequest.Builder move = io.orchestry.provisioner.v1.DrainNodeRequest.newBuilder()
                .setNodeName(draining.getName());
        if (draining.hasDrainDeadline()) {
            move.setDeadline(draining.getDrainDeadline());
        }
        int remaining = stubs.provisioner(RequestIdFilter.requestId(request)).drainNode(move.build()).getRemainingInstances();
        return new DrainedNodeJson(NodeJsonMapper.toJson(draining), remaining);
    }

    /** Whether the node runs on its own (no heartbeat expected, no new placements). */
    @Get("/{node}/independence")
    public IndependenceJson independence(HttpRequest<?> request, @PathVariable String node) {
        return new IndependenceJson(registry(request).getNodeIndependence(
                GetNodeIndependenceRequest.newBuilder().setName(node).build()).getIndependent());
    }

    /** Makes the node independent, or takes it back under the health monitor. Cluster-wide admin. */
    @Put("/{node}/independence")
    public NodeJson setIndependence(HttpRequest<?> request, @PathVariable String node, @Body IndependenceJson body) {
        if (body.independent() == null) {
            throw new InvalidArgumentException("independent", "required: true or false");
        }
        return NodeJsonMapper.toJson(clusterAdmin(request).setNodeIndependence(SetNodeIndependenceRequest.newBuilder()
                .setName(node).setIndependent(body.independent()).build()).getNode());
    }

    /**
     * The node's status and mode transitions, newest first.
     *
     * @param limit     page size: 0 (the default) means 100, at most 1000 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get("/{node}/events")
    public NodeEventJson.Page events(HttpRequest<?> request, @PathVariable String node,
                                     @QueryValue(defaultValue = "0") int limit, @Nullable @QueryValue String pageToken) {
        registry(request).getNode(GetNodeRequest.newBuilder().setName(node).build());
        ListNodeEventsResponse page = registry(request).listNodeEvents(ListNodeEventsRequest.newBuilder().setNodeName(node)
                .setPageSize(limit).setPageToken(pageToken == null ? "" : pageToken).build());
        return new NodeEventJson.Page(page.getEventsList().stream().map(NodeJsonMapper::toJson).toList(),
                page.getNextPageToken().isEmpty() ? null : page.getNextPageToken());
    }

    /** Any caller reads the fleet: an organization's apps run on it. */
    private RegistryServiceGrpc.RegistryServiceBlockingStub registry(HttpRequest<?> request) {
        AuthenticationFilter.caller(request).require(Role.VIEWER);
        return stubs.registry(RequestIdFilter.requestId(request));
    }

    /** Changing the fleet is for cluster-wide admins: nodes serve every organization. */
    private RegistryServiceGrpc.RegistryServiceBlockingStub clusterAdmin(HttpRequest<?> request) {
        AuthenticationFilter.caller(request).requireCluster(Role.ADMIN);
        return stubs.registry(RequestIdFilter.requestId(request));
    }

    /** Node agents heartbeat with a cluster-wide operator token. */
    private RegistryServiceGrpc.RegistryServiceBlockingStub clusterOperator(HttpRequest<?> request) {
        AuthenticationFilter.caller(request).requireCluster(Role.OPERATOR);
        return stubs.registry(RequestIdFilter.requestId(request));
    }
}
