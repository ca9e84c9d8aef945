package io.orchestry.registry.grpc;

import io.grpc.stub.StreamObserver;
import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.registry.domain.DriverKind;
import io.orchestry.registry.domain.NodePage;
import io.orchestry.registry.domain.NodeQuery;
import io.orchestry.registry.domain.NodeService;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.GetNodeResponse;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegisterNodeResponse;
import io.orchestry.registry.v1.RegistryServiceGrpc;

import java.util.EnumSet;
import java.util.Set;

/**
 * The registry's gRPC contract. Maps values and delegates; RPCs that are not built yet answer
 * UNIMPLEMENTED (the generated base class does that).
 */
@GrpcService
public class RegistryGrpcEndpoint extends RegistryServiceGrpc.RegistryServiceImplBase {
    private final NodeService nodes;

    public RegistryGrpcEndpoint(NodeService nodes) {
        this.nodes = nodes;
    }

    @Override
    public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
        var node = nodes.register(NodeProtoMapper.toRegistration(request));
        response.onNext(RegisterNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
        response.onCompleted();
    }

    @Override
    public void getNode(GetNodeRequest request, StreamObserver<GetNodeResponse> response) {
        var node = nodes.get(request.getName());
        response.onNext(GetNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
        response.onCompleted();
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
        if (request.getPageSize() < 0) {
            throw new InvalidArgumentException("page_size", "must not be negative");
        }
        if (!request.getLabelSelector().isEmpty()) {
            throw new InvalidArgumentException("label_selector", "label selectors are not supported yet");
        }
        int pageSize = request.getPageSize() == 0 ? NodeQuery.DEFAULT_PAGE_SIZE
                : Math.min(request.getPageSize(), NodeQuery.MAX_PAGE_SIZE);
        Set<NodeStatus> statuses = EnumSet.noneOf(NodeStatus.class);
        for (int i = 0; i < request.getStatusesCount(); i++) {
            statuses.add(NodeProtoMapper.toDomain(request.getStatuses(i), "statuses[" + i + "]"));
        }
        DriverKind driverKind = NodeProtoMapper.toDomain(request.getDriverKind());
        if (driverKind == null && request.getDriverKindValue() != 0) {
            throw new InvalidArgumentException("driver_kind", "unknown driver kind");
        }
        NodePage page = nodes.list(new NodeQuery(NodeProtoMapper.afterName(request.getPageToken()), statuses,
                request.getRegion(), driverKind, pageSize));
        ListNodesResponse.Builder builder = ListNodesResponse.newBuilder()
                .setNextPageToken(NodeProtoMapper.pageToken(page.lastName()));
        page.nodes().forEach(node -> builder.addNodes(NodeProtoMapper.toProto(node)));
        response.onNext(builder.build());
        response.onCompleted();
    }
}
