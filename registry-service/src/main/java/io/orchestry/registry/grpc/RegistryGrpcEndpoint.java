package io.orchestry.registry.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.registry.domain.Allocation;
import io.orchestry.registry.domain.DriverKind;
import io.orchestry.registry.domain.HeartbeatService;
import io.orchestry.registry.domain.LabelSelector;
import io.orchestry.registry.domain.NodeEvent;
import io.orchestry.registry.domain.NodePage;
import io.orchestry.registry.domain.NodeQuery;
import io.orchestry.registry.domain.NodeService;
import io.orchestry.registry.domain.NodeStats;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.NodeUpdate;
import io.orchestry.registry.domain.NodeWatchHub;
import io.orchestry.registry.v1.*;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The registry's gRPC contract: nodes, heartbeats, watches, organizations and projects. Maps values
 * and delegates to the domain.
 */
@GrpcService
public class RegistryGrpcEndpoint extends RegistryServiceGrpc.RegistryServiceImplBase {
    private static final int MAX_EVENTS_PAGE = 500;

    private final NodeService nodes;
    private final HeartbeatService heartbeats;
    private final NodeWatchHub watches;
    private final TenantRpcs tenants;

    /** The same in every heartbeat answer: built once. */
    private final HealthPolicy policy;

    public RegistryGrpcEndpoint(NodeService nodes, HeartbeatService heartbeats, NodeWatchHub watches, TenantRpcs tenants,
                                io.orchestry.registry.domain.HealthPolicy policy) {
        this.nodes = nodes;
        this.heartbeats = heartbeats;
        this.watches = watches;
        this.tenants = tenants;
        this.policy = HealthPolicy.newBuilder()
                .setHeartbeatInterval(NodeProtoMapper.toProto(policy.heartbeatInterval()))
                .setSuspectAfter(NodeProtoMapper.toProto(policy.suspectAfter()))
                .setDownAfter(NodeProtoMapper.toProto(policy.downAfter()))
                .build();
    }

    @Override
    public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
        var node = nodes.register(NodeProtoMapper.toRegistration(request));
        reply(response, RegisterNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void getNode(GetNodeRequest request, StreamObserver<GetNodeResponse> response) {
        var node = nodes.get(request.getName());
        reply(response, GetNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
        int pageSize = NodeProtoMapper.pageSize(request.getPageSize(), NodeQuery.DEFAULT_PAGE_SIZE, NodeQuery.MAX_PAGE_SIZE);
        Set<NodeStatus> statuses = EnumSet.noneOf(NodeStatus.class);
        for (int i = 0; i < request.getStatusesCount(); i++) {
            statuses.add(NodeProtoMapper.toDomain(request.getStatuses(i), "statuses[" + i + "]"));
        }
        DriverKind driverKind = NodeProtoMapper.toDomain(request.getDriverKind());
        if (driverKind == null && request.getDriverKindValue() != 0) {
            throw new InvalidArgumentException("driver_kind", "unknown driver kind");
        }
        LabelSelector selector = LabelSelector.parse(request.getLabelSelector(), "label_selector");
        NodePage page = nodes.list(new NodeQuery(NodeProtoMapper.position(NodeProtoMapper.NODES, request.getPageToken()),
                statuses, request.getRegion(), driverKind, selector, pageSize));
        ListNodesResponse.Builder builder = ListNodesResponse.newBuilder()
                .setNextPageToken(NodeProtoMapper.pageToken(NodeProtoMapper.NODES, page.lastName()))
                .setResourceVersion(page.resourceVersion());
        page.nodes().forEach(node -> builder.addNodes(NodeProtoMapper.toProto(node)));
        reply(response, builder.build());
    }

    @Override
    public void updateNode(UpdateNodeRequest request, StreamObserver<UpdateNodeResponse> response) {
        Set<NodeUpdate.Field> fields = EnumSet.noneOf(NodeUpdate.Field.class);
        for (String path : request.getUpdateMask().getPathsList()) {
            fields.add(switch (path) {
                case "labels" -> NodeUpdate.Field.LABELS;
                case "capacity" -> NodeUpdate.Field.CAPACITY;
                case "reserved" -> NodeUpdate.Field.RESERVED;
                case "region" -> NodeUpdate.Field.REGION;
                case "provider" -> NodeUpdate.Field.PROVIDER;
                case "endpoint" -> NodeUpdate.Field.ENDPOINT;
                case "credentials" -> NodeUpdate.Field.CREDENTIALS;
                default -> throw new InvalidArgumentException("update_mask", "'" + path + "' cannot be changed; paths:"
                        + " labels, capacity, reserved, region, provider, endpoint, credentials");
            });
        }
        var node = nodes.update(new NodeUpdate(request.getName(), request.getVersion(), fields, request.getLabelsMap(),
                request.hasCapacity() ? NodeProtoMapper.toDomain(request.getCapacity()) : null,
                request.hasReserved() ? NodeProtoMapper.toDomain(request.getReserved()) : io.orchestry.registry.domain.Resources.NONE,
                request.getRegion(), request.getProvider(), request.getEndpoint(),
                request.hasCredentials() ? request.getCredentials().toByteArray() : null));
        reply(response, UpdateNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void deregisterNode(DeregisterNodeRequest request, StreamObserver<DeregisterNodeResponse> response) {
        nodes.deregister(request.getName(), request.getForce());
        reply(response, DeregisterNodeResponse.getDefaultInstance());
    }

    @Override
    public void getNodeStats(GetNodeStatsRequest request, StreamObserver<GetNodeStatsResponse> response) {
        NodeStats stats = nodes.stats();
        GetNodeStatsResponse.Builder builder = GetNodeStatsResponse.newBuilder()
                .setTotal(stats.total())
                .setCapacity(NodeProtoMapper.toProto(stats.capacity()))
                .setAllocatable(NodeProtoMapper.toProto(stats.allocatable()))
                .setAllocated(NodeProtoMapper.toProto(stats.allocated()));
        stats.counts().forEach((status, count) -> builder.addCounts(NodeStatusCount.newBuilder()
                .setStatus(NodeProtoMapper.toProto(status)).setCount(count)));
        reply(response, builder.build());
    }

    @Override
    public void cordonNode(CordonNodeRequest request, StreamObserver<CordonNodeResponse> response) {
        reply(response, CordonNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(nodes.cordon(request.getName()))).build());
    }

    @Override
    public void uncordonNode(UncordonNodeRequest request, StreamObserver<UncordonNodeResponse> response) {
        reply(response, UncordonNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(nodes.uncordon(request.getName()))).build());
    }

    @Override
    public void drainNode(DrainNodeRequest request, StreamObserver<DrainNodeResponse> response) {
        var node = nodes.drain(request.getName(), request.hasDeadline() ? NodeProtoMapper.toInstant(request.getDeadline()) : null);
        reply(response, DrainNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void getNodeIndependence(GetNodeIndependenceRequest request, StreamObserver<GetNodeIndependenceResponse> response) {
        reply(response, GetNodeIndependenceResponse.newBuilder().setIndependent(nodes.get(request.getName()).independent()).build());
    }

    @Override
    public void setNodeIndependence(SetNodeIndependenceRequest request, StreamObserver<SetNodeIndependenceResponse> response) {
        var node = nodes.setIndependent(request.getName(), request.getIndependent());
        reply(response, SetNodeIndependenceResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void reportNodeAllocation(ReportNodeAllocationRequest request, StreamObserver<ReportNodeAllocationResponse> response) {
        nodes.reportAllocation(request.getName(), new Allocation(NodeProtoMapper.toDomain(request.getAllocated()), request.getWorkloads()));
        reply(response, ReportNodeAllocationResponse.getDefaultInstance());
    }

    @Override
    public void sendHeartbeat(SendHeartbeatRequest request, StreamObserver<SendHeartbeatResponse> response) {
        HeartbeatService.Acknowledgement ack = heartbeats.beat(request.getNodeName(), NodeProtoMapper.toDomain(request.getUsage()));
        reply(response, SendHeartbeatResponse.newBuilder()
                .setStatus(NodeProtoMapper.toProto(ack.status()))
                .setSchedulingMode(NodeProtoMapper.toProto(ack.mode()))
                .setPolicy(policy)
                .build());
    }

    @Override
    public StreamObserver<StreamHeartbeatsRequest> streamHeartbeats(StreamObserver<StreamHeartbeatsResponse> response) {
        return new StreamObserver<>() {
            private long accepted;
            private boolean failed;

            @Override
            public void onNext(StreamHeartbeatsRequest beat) {
                if (failed) {
                    return;
                }
                try {
                    heartbeats.beat(beat.getNodeName(), NodeProtoMapper.toDomain(beat.getUsage()));
                    accepted++;
                } catch (RuntimeException e) {
                    failed = true;
                    response.onError(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                // the agent went away; what it sent is kept
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    reply(response, StreamHeartbeatsResponse.newBuilder().setAccepted(accepted).build());
                }
            }
        };
    }

    @Override
    public void watchNodes(WatchNodesRequest request, StreamObserver<WatchNodesResponse> response) {
        new NodeWatchStream((ServerCallStreamObserver<WatchNodesResponse>) response)
                .start(watches, request.getResourceVersion());
    }

    @Override
    public void listNodeEvents(ListNodeEventsRequest request, StreamObserver<ListNodeEventsResponse> response) {
        int pageSize = NodeProtoMapper.pageSize(request.getPageSize(), 100, MAX_EVENTS_PAGE);
        String position = NodeProtoMapper.position(NodeProtoMapper.EVENTS, request.getPageToken());
        long beforeId;
        try {
            beforeId = position.isEmpty() ? 0 : Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("page_token", "not a token from a previous page of this list");
        }
        List<NodeEvent> events = nodes.events(request.getNodeName(), beforeId, pageSize + 1);
        ListNodeEventsResponse.Builder builder = ListNodeEventsResponse.newBuilder();
        events.stream().limit(pageSize).forEach(event -> builder.addEvents(NodeProtoMapper.toProto(event)));
        if (events.size() > pageSize) {
            builder.setNextPageToken(NodeProtoMapper.pageToken(NodeProtoMapper.EVENTS,
                    Long.toString(events.get(pageSize - 1).id())));
        }
        reply(response, builder.build());
    }

    @Override
    public void createOrganization(CreateOrganizationRequest request, StreamObserver<CreateOrganizationResponse> response) {
        reply(response, tenants.create(request));
    }

    @Override
    public void getOrganization(GetOrganizationRequest request, StreamObserver<GetOrganizationResponse> response) {
        reply(response, tenants.get(request));
    }

    @Override
    public void listOrganizations(ListOrganizationsRequest request, StreamObserver<ListOrganizationsResponse> response) {
        reply(response, tenants.list(request));
    }

    @Override
    public void updateOrganization(UpdateOrganizationRequest request, StreamObserver<UpdateOrganizationResponse> response) {
        reply(response, tenants.update(request));
    }

    @Override
    public void deleteOrganization(DeleteOrganizationRequest request, StreamObserver<DeleteOrganizationResponse> response) {
        reply(response, tenants.delete(request));
    }

    @Override
    public void createProject(CreateProjectRequest request, StreamObserver<CreateProjectResponse> response) {
        reply(response, tenants.create(request));
    }

    @Override
    public void getProject(GetProjectRequest request, StreamObserver<GetProjectResponse> response) {
        reply(response, tenants.get(request));
    }

    @Override
    public void listProjects(ListProjectsRequest request, StreamObserver<ListProjectsResponse> response) {
        reply(response, tenants.list(request));
    }

    @Override
    public void deleteProject(DeleteProjectRequest request, StreamObserver<DeleteProjectResponse> response) {
        reply(response, tenants.delete(request));
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
