package io.orchestry.watch;

import io.grpc.ManagedChannel;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.WatchNodesRequest;

import java.util.concurrent.TimeUnit;

/** The registry's ListNodes + WatchNodes through the gRPC adapters, as a service would write them. */
final class NodeWatch {
    private NodeWatch() {
    }

    static WatchClient.Builder<Node> client(ManagedChannel channel, WatchListener<Node> listener) {
        RegistryServiceGrpc.RegistryServiceBlockingStub blocking = RegistryServiceGrpc.newBlockingStub(channel);
        RegistryServiceGrpc.RegistryServiceStub async = RegistryServiceGrpc.newStub(channel);
        Lister<Node> lister = GrpcWatch.lister(
                token -> blocking.withDeadlineAfter(5, TimeUnit.SECONDS).listNodes(ListNodesRequest.newBuilder().setPageToken(token).build()),
                ListNodesResponse::getNodesList, ListNodesResponse::getNextPageToken, ListNodesResponse::getResourceVersion);
        Watcher<Node> watcher = GrpcWatch.watcher(async::watchNodes,
                version -> WatchNodesRequest.newBuilder().setResourceVersion(version).build(),
                change -> new WatchEvent<>(switch (change.getType()) {
                    case WATCH_EVENT_TYPE_ADDED -> WatchEvent.Type.ADDED;
                    case WATCH_EVENT_TYPE_DELETED -> WatchEvent.Type.DELETED;
                    default -> WatchEvent.Type.MODIFIED;
                }, change.getNode(), change.getResourceVersion()));
        return WatchClient.builder("nodes", lister, watcher, listener);
    }
}
