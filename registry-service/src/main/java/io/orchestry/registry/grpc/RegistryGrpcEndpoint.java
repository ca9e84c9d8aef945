package io.orchestry.registry.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.paging.PageRequest;
import io.orchestry.registry.domain.Allocation;
import io.orchestry.registry.domain.HeartbeatService;
import io.orchestry.registry.domain.NodeChange;
import io.orchestry.registry.domain.NodePage;
import io.orchestry.registry.domain.NodeQueries;
import io.orchestry.registry.domain.NodeRegistrations;
import io.orchestry.registry.domain.SchedulingModes;
import io.orchestry.registry.v1.*;
import io.orchestry.watch.server.WatchHub;
import io.orchestry.watch.server.WatchStream;

/**
 * The registry's gRPC contract: nodes, heartbeats, watches, organizations and projects. Maps values
 * and delegates to the domain.
 */
@GrpcService
public class RegistryGrpcEndpoint extends RegistryServiceGrpc.RegistryServiceImplBase {
    private final NodeRegistrations registrations;
    private final SchedulingModes modes;
    private final NodeQueries queries;
    private final HeartbeatService heartbeats;
    private final WatchHub<NodeChange> watches;
    private final TenantRpcs tenants;

    /** The same in every heartbeat answer: built once. */
    private final HealthPolicy policy;

    public RegistryGrpcEndpoint(NodeRegistrations registrations, SchedulingModes modes, NodeQueries queries,
                                HeartbeatService heartbeats, WatchHub<NodeChange> watches, TenantRpcs tenants,
                                io.orchestry.registry.domain.HealthPolicy policy) {
        this.registrations = registrations;
        this.modes = modes;
        this.queries = queries;
        this.heartbeats = heartbeats;
        this.watches = watches;
        this.tenants = tenants;
        this.policy = HealthPolicy.newBuilder()
                .setHeartbeatInterval(ProtoTime.toDuration(policy.heartbeatInterval()))
                .setSuspectAfter(ProtoTime.toDuration(policy.suspectAfter()))
                .setDownAfter(ProtoTime.toDuration(policy.downAfter()))
                .build();
    }

    @Override
    public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
        var node = registrations.register(NodeProtoMapper.toRegistration(request));
        reply(response, RegisterNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void getNode(GetNodeRequest request, StreamObserver<GetNodeResponse> response) {
        reply(response, GetNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(queries.get(request.getName()))).build());
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
        NodePage page = queries.list(NodeProtoMapper.toQuery(request),
                PageRequest.ofGrpc(NodeQueries.NODES, request.getPageSize(), request.getPageToken()));
        reply(response, ListNodesResponse.newBuilder()
                .addAllNodes(page.page().map(NodeProtoMapper::toProto).items())
                .setNextPageToken(page.page().nextPageToken())
                .setResourceVersion(page.resourceVersion())
                .build());
    }

    @Override
    public void updateNode(UpdateNodeRequest request, StreamObserver<UpdateNodeResponse> response) {
        var node = registrations.update(NodeProtoMapper.toUpdate(request));
        reply(response, UpdateNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void deregisterNode(DeregisterNodeRequest request, StreamObserver<DeregisterNodeResponse> response) {
        registrations.deregister(request.getName(), request.getForce());
        reply(response, DeregisterNodeResponse.getDefaultInstance());
    }

    @Override
    public void getNodeStats(GetNodeStatsRequest request, StreamObserver<GetNodeStatsResponse> response) {
        reply(response, NodeProtoMapper.toProto(queries.stats()));
    }

    @Override
    public void cordonNode(CordonNodeRequest request, StreamObserver<CordonNodeResponse> response) {
        reply(response, CordonNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(modes.cordon(request.getName()))).build());
    }

    @Override
    public void uncordonNode(UncordonNodeRequest request, StreamObserver<UncordonNodeResponse> response) {
        reply(response, UncordonNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(modes.uncordon(request.getName()))).build());
    }

    @Override
    public void drainNode(DrainNodeRequest request, StreamObserver<DrainNodeResponse> response) {
        var node = modes.drain(request.getName(), request.hasDeadline() ? ProtoTime.toInstant(request.getDeadline()) : null);
        reply(response, DrainNodeResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void getNodeIndependence(GetNodeIndependenceRequest request, StreamObserver<GetNodeIndependenceResponse> response) {
        reply(response, GetNodeIndependenceResponse.newBuilder().setIndependent(queries.get(request.getName()).independent()).build());
    }

    @Override
    public void setNodeIndependence(SetNodeIndependenceRequest request, StreamObserver<SetNodeIndependenceResponse> response) {
        var node = modes.setIndependent(request.getName(), request.getIndependent());
        reply(response, SetNodeIndependenceResponse.newBuilder().setNode(NodeProtoMapper.toProto(node)).build());
    }

    @Override
    public void reportNodeAllocation(ReportNodeAllocationRequest request, StreamObserver<ReportNodeAllocationResponse> response) {
        registrations.reportAllocation(request.getName(), new Allocation(NodeProtoMapper.toDomain(request.getAllocated()), request.getWorkloads()));
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
        new WatchStream<NodeChange, WatchNodesResponse>((ServerCallStreamObserver<WatchNodesResponse>) response,
                change -> true, NodeProtoMapper::toProto).start(watches, request.getResourceVersion());
    }

    @Override
    public void listNodeEvents(ListNodeEventsRequest request, StreamObserver<ListNodeEventsResponse> response) {
        var page = queries.events(request.getNodeName(),
                PageRequest.ofGrpc(NodeQueries.EVENTS, request.getPageSize(), request.getPageToken()));
        reply(response, ListNodeEventsResponse.newBuilder()
                .addAllEvents(page.map(NodeProtoMapper::toProto).items())
                .setNextPageToken(page.nextPageToken())
                .build());
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

    @Override
    public void setProjectHold(SetProjectHoldRequest request, StreamObserver<SetProjectHoldResponse> response) {
        reply(response, tenants.setHold(request));
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
