package io.orchestry.provisioner.fleet;

import io.grpc.ManagedChannel;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.ListNodesResponse;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.WatchEventType;
import io.orchestry.registry.v1.WatchNodesRequest;
import io.orchestry.watch.GrpcWatch;
import io.orchestry.watch.Snapshot;
import io.orchestry.watch.WatchClient;
import io.orchestry.watch.WatchEvent;
import io.orchestry.watch.WatchListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The registry's nodes, list-then-watch (ListNodes, then WatchNodes from the list's version, through the watch client),
 * on every replica: the leader's loops place and observe with it, the endpoint answers with it. Listeners hear of every
 * node whose {@link FleetNode} changed (heartbeats alone change nothing here), added and removed ones included, on the
 * watch client's thread. A node that leaves the fleet has its driver closed.
 */
@Singleton
public class FleetWatch implements Fleet, WatchListener<Node>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetWatch.class);
    /** The registry's largest page. */
    private static final int PAGE_SIZE = 500;

    private final Map<String, FleetNode> nodes = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Drivers drivers;
    private final WatchClient<Node> client;
    private volatile boolean listed;

    public FleetWatch(@Named("registry") ManagedChannel registry, Drivers drivers, FleetConfig config,
                      @Nullable Clock clock) {
        this.drivers = drivers;
        long deadline = config.registryDeadline().toMillis();
        RegistryServiceGrpc.RegistryServiceBlockingStub blocking = RegistryServiceGrpc.newBlockingStub(registry);
        RegistryServiceGrpc.RegistryServiceStub async = RegistryServiceGrpc.newStub(registry);
        this.client = WatchClient.builder("provisioner-fleet",
                        GrpcWatch.lister(token -> blocking.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                                        .listNodes(ListNodesRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(token).build()),
                                ListNodesResponse::getNodesList, ListNodesResponse::getNextPageToken,
                                ListNodesResponse::getResourceVersion),
                        GrpcWatch.watcher(async::watchNodes,
                                version -> WatchNodesRequest.newBuilder().setResourceVersion(version).build(),
                                change -> new WatchEvent<>(type(change.getType()), change.getNode(), change.getResourceVersion())),
                        this)
                .clock(clock == null ? Clock.systemUTC() : clock)
                .build();
    }

    /** Lists and follows until {@link #close()}. */
    public void start() {
        client.start();
    }

    @Override
    public void close() {
        client.stop();
    }

    @Override
    public boolean listed() {
        return listed;
    }

    @Override
    public List<FleetNode> nodes() {
        return nodes.values().stream().sorted(java.util.Comparator.comparing(FleetNode::name)).toList();
    }

    @Override
    public Optional<FleetNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    @Override
    public void addListener(Consumer<String> nodeChanged) {
        listeners.add(nodeChanged);
    }

    @Override
    public void snapshot(Snapshot<Node> snapshot) {
        Set<String> seen = new HashSet<>();
        for (Node node : snapshot.items()) {
            seen.add(node.getName());
            put(node);
        }
        for (String name : Set.copyOf(nodes.keySet())) {
            if (!seen.contains(name)) {
                remove(name);
            }
        }
        if (!listed) {
            LOG.info("fleet listed: {} node(s) at version {}", nodes.size(), snapshot.resourceVersion());
        }
        listed = true;
    }

    @Override
    public void event(WatchEvent<Node> event) {
        if (event.type() == WatchEvent.Type.DELETED) {
            remove(event.item().getName());
        } else {
            put(event.item());
        }
    }

    private void put(Node node) {
        Optional<FleetNode> mapped = FleetNodeMapper.toFleetNode(node);
        if (mapped.isEmpty()) {
            remove(node.getName());
            return;
        }
        FleetNode previous = nodes.put(node.getName(), mapped.get());
        if (!mapped.get().equals(previous)) {
            changed(node.getName());
        }
    }

    private void remove(String name) {
        if (nodes.remove(name) != null) {
            drivers.forget(name);
            changed(name);
        }
    }

    private void changed(String name) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(name);
            } catch (RuntimeException e) {
                LOG.warn("a fleet listener failed for node {}", name, e);
            }
        }
    }

    private static WatchEvent.Type type(WatchEventType type) {
        return switch (type) {
            case WATCH_EVENT_TYPE_ADDED -> WatchEvent.Type.ADDED;
            case WATCH_EVENT_TYPE_DELETED -> WatchEvent.Type.DELETED;
            default -> WatchEvent.Type.MODIFIED;
        };
    }
}
