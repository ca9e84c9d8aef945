package io.orchestry.watch;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.WatchEventType;
import io.orchestry.registry.v1.WatchNodesRequest;
import io.orchestry.registry.v1.WatchNodesResponse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A v1 ListNodes + WatchNodes pair over real gRPC on 127.0.0.1, in memory: every change gets the
 * next resource version and goes to the log; a watch replays the log after the version it is
 * given (OUT_OF_RANGE below the oldest kept), then follows. Pages of {@link #PAGE_SIZE}.
 */
final class FakeRegistry extends RegistryServiceGrpc.RegistryServiceImplBase implements AutoCloseable {
    static final int PAGE_SIZE = 2;

    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final List<WatchNodesResponse> log = new ArrayList<>();
    private final Set<ServerCallStreamObserver<WatchNodesResponse>> watchers = new java.util.HashSet<>();
    final List<Long> watchedFrom = new CopyOnWriteArrayList<>();
    final List<String> listedPages = new CopyOnWriteArrayList<>();
    private long version;
    private long oldestReplayable = 1;
    private volatile boolean failLists;
    private volatile boolean refuseWatches;
    private final Server server;

    FakeRegistry() throws IOException {
        @SuppressWarnings("AddressSelection") // the literal 127.0.0.1 is one address, there is no name to resolve
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        server = NettyServerBuilder.forAddress(loopback).addService(this).build().start();
    }

    int port() {
        return server.getPort();
    }

    synchronized long put(String name) {
        Node previous = nodes.get(name);
        Node node = Node.newBuilder().setName(name).setVersion(previous == null ? 1 : previous.getVersion() + 1).build();
        nodes.put(name, node);
        return append(previous == null ? WatchEventType.WATCH_EVENT_TYPE_ADDED : WatchEventType.WATCH_EVENT_TYPE_MODIFIED, node);
    }

    synchronized long delete(String name) {
        return append(WatchEventType.WATCH_EVENT_TYPE_DELETED, nodes.remove(name));
    }

    private long append(WatchEventType type, Node node) {
        WatchNodesResponse change = WatchNodesResponse.newBuilder().setType(type).setNode(node).setResourceVersion(++version).build();
        log.add(change);
        // like a server that ignores isReady: whatever a client cannot take piles up in the transport, not here
        watchers.forEach(w -> w.onNext(change));
        return version;
    }

    /** Breaks every open watch, as a restart of the server would. */
    synchronized void breakWatches() {
        watchers.forEach(w -> w.onError(Status.UNAVAILABLE.withDescription("going away").asRuntimeException()));
        watchers.clear();
    }

    /** Forgets the log up to the current version: a watch from before it answers OUT_OF_RANGE. */
    synchronized void compact() {
        oldestReplayable = version + 1;
        log.clear();
    }

    void failLists(boolean fail) {
        failLists = fail;
    }

    /** Answers every new watch UNAVAILABLE while set. */
    void refuseWatches(boolean refuse) {
        refuseWatches = refuse;
    }

    synchronized int openWatches() {
        return watchers.size();
    }

    @Override
    public synchronized void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
        listedPages.add(request.getPageToken());
        if (failLists) {
            response.onError(Status.UNAVAILABLE.withDescription("not now").asRuntimeException());
            return;
        }
        List<Node> all = new ArrayList<>(nodes.values());
        int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
        int to = Math.min(all.size(), from + PAGE_SIZE);
        response.onNext(ListNodesResponse.newBuilder().addAllNodes(all.subList(from, to))
                .setNextPageToken(to < all.size() ? Integer.toString(to) : "").setResourceVersion(version).build());
        response.onCompleted();
    }

    @Override
    public synchronized void watchNodes(WatchNodesRequest request, StreamObserver<WatchNodesResponse> response) {
        watchedFrom.add(request.getResourceVersion());
        if (refuseWatches) {
            response.onError(Status.UNAVAILABLE.withDescription("not now").asRuntimeException());
            return;
        }
        if (request.getResourceVersion() + 1 < oldestReplayable) {
            response.onError(Status.OUT_OF_RANGE.withDescription("resource version " + request.getResourceVersion()
                    + " is too old: list again").asRuntimeException());
            return;
        }
        ServerCallStreamObserver<WatchNodesResponse> call = (ServerCallStreamObserver<WatchNodesResponse>) response;
        call.setOnCancelHandler(() -> {
            synchronized (this) {
                watchers.remove(call);
            }
        });
        log.stream().filter(c -> c.getResourceVersion() > request.getResourceVersion()).forEach(call::onNext);
        watchers.add(call);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }
}
