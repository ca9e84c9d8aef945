package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.orchestry.gateway.api.AppJsonMapper;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.ListInstancesRequest;
import io.orchestry.provisioner.v1.ListInstancesResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.provisioner.v1.WatchEventType;
import io.orchestry.provisioner.v1.WatchInstancesRequest;
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
import java.util.function.Function;

/**
 * The provisioner's instances as the hub follows them (ListInstances then WatchInstances, through
 * the watch client), each change published as an {@code instance} event, like {@link NodeFeed}: the
 * first list only says where to start; a later one is compared with the instances known and what
 * changed meanwhile is published at the list's version. Each event carries the organization of
 * the instance's project, so that only that organization's callers (and cluster-wide ones) see it.
 */
final class InstanceFeed implements WatchListener<Instance> {
    /** The provisioner's largest page. */
    private static final int PAGE_SIZE = 500;

    private final Clock clock;
    private final Function<String, String> organizationOf;
    private final Consumer<EventJson> publish;
    private Map<String, Instance> known = new HashMap<>();
    private boolean listed;

    InstanceFeed(Clock clock, Function<String, String> organizationOf, Consumer<EventJson> publish) {
        this.clock = clock;
        this.organizationOf = organizationOf;
        this.publish = publish;
    }

    /** The watch client that feeds {@code feed} from {@code provisioner}, each call with {@code deadline}. */
    static WatchClient<Instance> client(ManagedChannel provisioner, Duration deadline, Clock clock, InstanceFeed feed) {
        ProvisionerServiceGrpc.ProvisionerServiceBlockingStub blocking = ProvisionerServiceGrpc.newBlockingStub(provisioner);
        ProvisionerServiceGrpc.ProvisionerServiceStub async = ProvisionerServiceGrpc.newStub(provisioner);
        return WatchClient.builder("provisioner-instances",
                        GrpcWatch.lister(token -> blocking.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                                        .listInstances(ListInstancesRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(token).build()),
                                ListInstancesResponse::getInstancesList, ListInstancesResponse::getNextPageToken,
                                ListInstancesResponse::getResourceVersion),
                        GrpcWatch.watcher(async::watchInstances,
                                version -> WatchInstancesRequest.newBuilder().setResourceVersion(version).build(),
                                change -> new WatchEvent<>(type(change.getType()), change.getInstance(), change.getResourceVersion())),
                        feed)
                .clock(clock)
                .build();
    }

    @Override
    public void snapshot(Snapshot<Instance> snapshot) {
        Map<String, Instance> now = new HashMap<>();
        snapshot.items().forEach(instance -> now.put(instance.getId(), instance));
        if (listed) {
            long version = snapshot.resourceVersion();
            now.values().forEach(instance -> {
                Instance before = known.get(instance.getId());
                if (before == null) {
                    publish(WatchEvent.Type.ADDED, instance, version);
                } else if (!sameState(before, instance)) {
                    publish(WatchEvent.Type.MODIFIED, instance, version);
                }
            });
            known.values().stream().filter(instance -> !now.containsKey(instance.getId()))
                    .forEach(instance -> publish(WatchEvent.Type.DELETED, instance, version));
        }
        known = now;
        listed = true;
    }

    @Override
    public void event(WatchEvent<Instance> event) {
        Instance instance = event.item();
        if (event.type() == WatchEvent.Type.DELETED) {
            known.remove(instance.getId());
        } else {
            known.put(instance.getId(), instance);
        }
        publish(event.type(), instance, event.resourceVersion());
    }

    private void publish(WatchEvent.Type type, Instance instance, long resourceVersion) {
        publish.accept(EventJson.instance(switch (type) {
            case ADDED -> "added";
            case MODIFIED -> "modified";
            case DELETED -> "deleted";
        }, instance.getId(), instance.getApp(), organizationOf.apply(instance.getProject()), resourceVersion, clock.instant(),
                AppJsonMapper.toJson(instance)));
    }

    /** Equal but for the usage sample, which is no change a watcher is told of. */
    private static boolean sameState(Instance a, Instance b) {
        return a.toBuilder().clearUsage().build().equals(b.toBuilder().clearUsage().build());
    }

    private static WatchEvent.Type type(WatchEventType type) {
        return switch (type) {
            case WATCH_EVENT_TYPE_ADDED -> WatchEvent.Type.ADDED;
            case WATCH_EVENT_TYPE_DELETED -> WatchEvent.Type.DELETED;
            // a type this gateway does not know yet: the instance changed
            default -> WatchEvent.Type.MODIFIED;
        };
    }
}
