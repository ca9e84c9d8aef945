package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.orchestry.gateway.api.NodeJsonMapper;
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

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The registry's nodes as the hub follows them (ListNodes then WatchNodes, through the watch
 * client), each change published as a {@code node} event. The first list only says where to
 * start; a later one (the registry could not replay from the last version, or the hub fell
 * behind) is compared with the nodes known, and what changed meanwhile is published as added,
 * modified and deleted at the list's version, so clients miss nothing across a relist.
 */
final class NodeFeed implements WatchListener<Node> {
    /** The registry's largest page. */
    private static final int PAGE_SIZE = 500;

    private final Clock clock;
    private final Consumer<EventJson> publish;
    private Map<String, Node> known = new HashMap<>();
    private boolean listed;

    NodeFeed(Clock clock, Consumer<EventJson> publish) {
        this.clock = clock;
        this.publish = publish;
    }

    /** The watch client that feeds {@code feed} from {@code registry}, each call with {@code deadline}. */
    static WatchClient<Node> client(ManagedChannel registry, Duration deadline, Clock clock, NodeFeed feed) {
        RegistryServiceGrpc.RegistryServiceBlockingStub blocking = RegistryServiceGrpc.newBlockingStub(registry);
        RegistryServiceGrpc.RegistryServiceStub async = RegistryServiceGrpc.newStub(registry);
        return WatchClient.builder("registry-nodes",
                        GrpcWatch.lister(token -> blocking.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                                        .listNodes(ListNodesRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(token).build()),
                                ListNodesResponse::getNodesList, ListNodesResponse::getNextPageToken,
                                ListNodesResponse::getResourceVersion),
                        GrpcWatch.watcher(async::watchNodes,
                                version -> WatchNodesRequest.newBuilder().setResourceVersion(version).build(),
                                change -> new WatchEvent<>(type(change.getType()), change.getNode(), change.getResourceVersion())),
                        feed)
                .clock(clock)
                .build();
    }

    @Override
    public void snapshot(Snapshot<Node> snapshot) {
        Map<String, Node> now = new HashMap<>();
        snapshot.items().forEach(node -> now.put(node.getName(), node));
        if (listed) {
            long version = snapshot.resourceVersion();
            now.values().forEach(node -> {
                Node before = known.get(node.getName());
                if (before == null) {
                    publish(WatchEvent.Type.ADDED, node, version);
                } else if (!sameState(before, node)) {
                    publish(WatchEvent.Type.MODIFIED, node, version);
                }
            });
            known.values().stream().filter(node -> !now.containsKey(node.getName()))
                    .forEach(node -> publish(WatchEvent.Type.DELETED, node, version));
        }
        known = now;
        listed = true;
    }

    @Override
    public void event(WatchEvent<Node> event) {
        Node node = event.item();
        if (event.type() == WatchEvent.Type.DELETED) {
            known.remove(node.getName());
        } else {
            known.put(node.getName(), node);
        }
        publish(event.type(), node, event.resourceVersion());
    }

    private void publish(WatchEvent.Type type, Node node, long resourceVersion) {
        publish.accept(new EventJson("node", switch (type) {
            case ADDED -> "added";
            case MODIFIED -> "modified";
            case DELETED -> "deleted";
        }, node.getName(), null, null, resourceVersion, clock.instant(), NodeJsonMapper.toJson(node)));
    }

    /** Equal but for the last heartbeat, which is no change a watcher is told of. */
    private static boolean sameState(Node a, Node b) {
        return a.toBuilder().clearLastUsage().clearLastHeartbeatTime().build()
                .equals(b.toBuilder().clearLastUsage().clearLastHeartbeatTime().build());
    }

    private static WatchEvent.Type type(WatchEventType type) {
        return switch (type) {
            case WATCH_EVENT_TYPE_ADDED -> WatchEvent.Type.ADDED;
            case WATCH_EVENT_TYPE_DELETED -> WatchEvent.Type.DELETED;
            // a type this gateway does not know yet: the node changed
            default -> WatchEvent.Type.MODIFIED;
        };
    }
}
