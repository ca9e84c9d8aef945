package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.Node;

import java.net.URI;

/** {@code /api/v1/nodes}: the registry's fleet. Maps and delegates; the registry holds the rules. */
@Controller("/api/v1/nodes")
@ExecuteOn(TaskExecutors.BLOCKING)
public class NodeController {
    private final ServiceStubs stubs;

    public NodeController(ServiceStubs stubs) {
        this.stubs = stubs;
    }

    @Post
    public HttpResponse<NodeJson> register(HttpRequest<?> request, @Body RegisterNodeJson body) {
        Node node = stubs.registry(RequestIdFilter.requestId(request))
                .registerNode(NodeJsonMapper.toRequest(body)).getNode();
        return HttpResponse.created(NodeJsonMapper.toJson(node), URI.create("/api/v1/nodes/" + node.getName()));
    }

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
            for (String one : status.split(",")) {
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
        ListNodesResponse page = stubs.registry(RequestIdFilter.requestId(request)).listNodes(query.build());
        return new NodeListJson(page.getNodesList().stream().map(NodeJsonMapper::toJson).toList(),
                page.getNextPageToken().isEmpty() ? null : page.getNextPageToken());
    }

    @Get("/{node}")
    public NodeJson get(HttpRequest<?> request, @PathVariable String node) {
        return NodeJsonMapper.toJson(stubs.registry(RequestIdFilter.requestId(request))
                .getNode(GetNodeRequest.newBuilder().setName(node).build()).getNode());
    }
}
