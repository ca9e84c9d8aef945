package io.orchestry.proxy.upstreams;

import io.grpc.ManagedChannel;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.InstanceHealth;
import io.orchestry.provisioner.v1.InstancePort;
import io.orchestry.provisioner.v1.InstanceState;
import io.orchestry.provisioner.v1.ListInstancesRequest;
import io.orchestry.provisioner.v1.ListInstancesResponse;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.provisioner.v1.WatchEventType;
import io.orchestry.provisioner.v1.WatchInstancesRequest;
import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.UpstreamKey;
import io.orchestry.proxy.domain.Upstreams;
import io.orchestry.watch.GrpcWatch;
import io.orchestry.watch.Snapshot;
import io.orchestry.watch.WatchClient;
import io.orchestry.watch.WatchEvent;
import io.orchestry.watch.WatchListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The provisioner's instances, list-then-watch (ListInstances, then WatchInstances from the list's version, through
 * the watch client), on every replica, reduced to each app port's serving endpoints by an {@link UpstreamTable}.
 * Listeners hear of every change that changed an upstream, on the watch client's thread.
 */
@Singleton
@Context
public class InstanceWatch implements Upstreams, WatchListener<Instance>, ApplicationEventListener<ServerStartupEvent>,
        AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceWatch.class);
    /** The provisioner's largest page. */
    private static final int PAGE_SIZE = 500;

    private final UpstreamTable table = new UpstreamTable();
    private final List<UpstreamListener> listeners = new CopyOnWriteArrayList<>();
    private final WatchClient<Instance> client;
    private volatile Map<UpstreamKey, List<Endpoint>> current = Map.of();
    private volatile boolean listed;
    private boolean started;

    public InstanceWatch(@Named("provisioner") ManagedChannel provisioner,
                         @Value("${orchestry.proxy.provisioner-deadline:5s}") Duration deadline, Clock clock) {
        long millis = deadline.toMillis();
        ProvisionerServiceGrpc.ProvisionerServiceBlockingStub blocking = ProvisionerServiceGrpc.newBlockingStub(provisioner);
        ProvisionerServiceGrpc.ProvisionerServiceStub async = ProvisionerServiceGrpc.newStub(provisioner);
        this.client = WatchClient.builder("proxy-instances",
                        GrpcWatch.lister(token -> blocking.withDeadlineAfter(millis, TimeUnit.MILLISECONDS).listInstances(
                                        ListInstancesRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(token).build()),
                                ListInstancesResponse::getInstancesList, ListInstancesResponse::getNextPageToken,
                                ListInstancesResponse::getResourceVersion),
                        GrpcWatch.watcher(async::watchInstances,
                                version -> WatchInstancesRequest.newBuilder().setResourceVersion(version).build(),
                                change -> new WatchEvent<>(type(change.getType()), change.getInstance(), change.getResourceVersion())),
                        this)
                .clock(clock)
                .build();
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (!started) {
            started = true;
            client.start();
        }
    }

    @Override
    @PreDestroy
    public void close() {
        client.stop();
    }

    @Override
    public boolean listed() {
        return listed;
    }

    @Override
    public Map<UpstreamKey, List<Endpoint>> current() {
        return current;
    }

    @Override
    public void addListener(UpstreamListener listener) {
        listeners.add(listener);
    }

    @Override
    public void snapshot(Snapshot<Instance> snapshot) {
        UpstreamTable.Change change = table.replace(snapshot.items().stream().map(InstanceWatch::observed).toList());
        if (!listed) {
            LOG.info("instances listed: {} upstream(s) at version {}", table.current().size(), snapshot.resourceVersion());
        }
        listed = true;
        publish(change);
    }

    @Override
    public void event(WatchEvent<Instance> event) {
        publish(event.type() == WatchEvent.Type.DELETED ? table.remove(event.item().getId()) : table.put(observed(event.item())));
    }

    private void publish(UpstreamTable.Change change) {
        current = table.current();
        if (change.isEmpty()) {
            return;
        }
        for (UpstreamListener listener : listeners) {
            try {
                listener.changed(change.keys(), change.reason());
            } catch (RuntimeException e) {
                LOG.warn("an upstream listener failed on {}", change.reason(), e);
            }
        }
    }

    /** Serving: RUNNING, HEALTHY, not retiring; every named port on the instance's host. */
    static ObservedInstance observed(Instance instance) {
        boolean running = instance.getState() == InstanceState.INSTANCE_STATE_RUNNING;
        boolean healthy = instance.getHealth() == InstanceHealth.INSTANCE_HEALTH_HEALTHY;
        String state;
        if (instance.getRetiring()) {
            state = "retiring";
        } else if (!running) {
            state = instance.getState().name().replace("INSTANCE_STATE_", "").toLowerCase(Locale.ROOT);
        } else if (!healthy) {
            state = instance.getHealth() == InstanceHealth.INSTANCE_HEALTH_UNHEALTHY ? "unhealthy" : "not checked yet";
        } else {
            state = "healthy";
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (InstancePort port : instance.getPortsList()) {
            if (!port.getName().isEmpty() && port.getPort() > 0) {
                ports.put(port.getName(), port.getPort());
            }
        }
        String host = instance.hasAddress() ? instance.getAddress().getHost() : "";
        boolean serving = running && healthy && !instance.getRetiring() && !host.isEmpty();
        return new ObservedInstance(instance.getId(), instance.getApp(), serving, state, host, ports);
    }

    private static WatchEvent.Type type(WatchEventType type) {
        return switch (type) {
            case WATCH_EVENT_TYPE_ADDED -> WatchEvent.Type.ADDED;
            case WATCH_EVENT_TYPE_DELETED -> WatchEvent.Type.DELETED;
            default -> WatchEvent.Type.MODIFIED;
        };
    }
}
