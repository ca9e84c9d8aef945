package io.orchestry.gateway.fake;

import com.google.protobuf.Timestamp;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.error.ResourceVersionTooOldException;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.InstanceAddress;
import io.orchestry.provisioner.v1.InstanceHealth;
import io.orchestry.provisioner.v1.InstancePort;
import io.orchestry.provisioner.v1.InstanceState;
import io.orchestry.provisioner.v1.InstanceUsage;
import io.orchestry.provisioner.v1.WatchEventType;
import io.orchestry.provisioner.v1.WatchInstancesRequest;
import io.orchestry.provisioner.v1.WatchInstancesResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fake's observed state: instances that run as soon as they are placed, every change kept as a
 * watch event with its resource version, and the watchers that follow them. Callers hold the
 * provisioner's lock.
 */
final class FakeInstances {
    static final String NODE = "fake-node";
    private static final int KEPT_EVENTS = 1000;

    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<WatchInstancesResponse> events = new ArrayList<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private long version;
    private int ordinal;
    private int nextPort = 20_000;

    record Watcher(WatchInstancesRequest request, ServerCallStreamObserver<WatchInstancesResponse> stream) {
    }

    long version() {
        return version;
    }

    List<Instance> all() {
        return List.copyOf(instances.values());
    }

    Instance get(String id) {
        return instances.get(id);
    }

    /** Makes the app's instances match its desired count and revision: the fake's whole reconciler. */
    void converge(App app, boolean replaceAll) {
        int desired = app.getStopped() ? 0 : app.getSpec().getReplicas();
        List<Instance> own = instances.values().stream().filter(i -> i.getApp().equals(app.getName())).toList();
        for (Instance instance : own) {
            if (replaceAll || instance.getRevision() != app.getRevision()) {
                remove(instance.getId());
            }
        }
        own = instances.values().stream().filter(i -> i.getApp().equals(app.getName())).toList();
        for (int i = own.size() - 1; i >= desired; i--) {
            remove(own.get(i).getId());
        }
        for (int i = own.size(); i < desired; i++) {
            add(app);
        }
    }

    void removeApp(String app) {
        instances.values().stream().filter(i -> i.getApp().equals(app)).map(Instance::getId).toList().forEach(this::remove);
    }

    /** Moves the node's instances elsewhere; returns how many were there. */
    int drain(String node) {
        List<Instance> there = instances.values().stream().filter(i -> i.getNodeName().equals(node)).toList();
        there.forEach(i -> put(WatchEventType.WATCH_EVENT_TYPE_MODIFIED, i.toBuilder().setNodeName(NODE).build()));
        return there.size();
    }

    void add(App app) {
        int port = nextPort++;
        Instant now = Instant.now();
        Timestamp at = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        Instance.Builder instance = Instance.newBuilder()
                .setId("orchestry-" + app.getName() + "-" + app.getGeneration() + "-" + ordinal++)
                .setApp(app.getName()).setProject(app.getProject()).setRevision(app.getRevision()).setNodeName(NODE)
                .setAddress(InstanceAddress.newBuilder().setHost("127.0.0.1").setPort(port))
                .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealth(InstanceHealth.INSTANCE_HEALTH_HEALTHY)
                .setStartTime(at).setCreateTime(at).setRuntimeId("pid-" + port)
                .setUsage(InstanceUsage.newBuilder().setCpuMillis(5).setMemoryBytes(32L << 20));
        app.getSpec().getPortsList().forEach(p -> instance.addPorts(InstancePort.newBuilder().setName(p.getName()).setPort(port)));
        put(WatchEventType.WATCH_EVENT_TYPE_ADDED, instance.build());
    }

    void remove(String id) {
        Instance gone = instances.remove(id);
        if (gone != null) {
            record(WatchEventType.WATCH_EVENT_TYPE_DELETED, gone.toBuilder().setState(InstanceState.INSTANCE_STATE_STOPPED).build());
        }
    }

    /** Sends what followed {@code request}'s version, then keeps {@code stream} for the changes to come. */
    void watch(WatchInstancesRequest request, StreamObserver<WatchInstancesResponse> observer) {
        long oldest = events.isEmpty() ? version : events.get(0).getResourceVersion() - 1;
        if (request.getResourceVersion() < oldest) {
            throw new ResourceVersionTooOldException(request.getResourceVersion(), oldest);
        }
        ServerCallStreamObserver<WatchInstancesResponse> stream = (ServerCallStreamObserver<WatchInstancesResponse>) observer;
        Watcher watcher = new Watcher(request, stream);
        stream.setOnCancelHandler(() -> watchers.remove(watcher));
        events.stream().filter(e -> e.getResourceVersion() > request.getResourceVersion() && matches(request, e)).forEach(stream::onNext);
        watchers.add(watcher);
    }

    /** Ends every watch, as a provisioner that restarts does. */
    void endWatches() {
        watchers.forEach(w -> w.stream().onCompleted());
        watchers.clear();
    }

    private void put(WatchEventType type, Instance instance) {
        instances.put(instance.getId(), instance);
        record(type, instance);
    }

    private void record(WatchEventType type, Instance instance) {
        WatchInstancesResponse event = WatchInstancesResponse.newBuilder().setType(type).setInstance(instance)
                .setResourceVersion(++version).build();
        events.add(event);
        if (events.size() > KEPT_EVENTS) {
            events.remove(0);
        }
        for (Watcher watcher : watchers) {
            if (matches(watcher.request(), event)) {
                try {
                    watcher.stream().onNext(event);
                } catch (RuntimeException cancelled) {
                    watchers.remove(watcher);
                }
            }
        }
    }

    private static boolean matches(WatchInstancesRequest request, WatchInstancesResponse event) {
        return (request.getProject().isEmpty() || request.getProject().equals(event.getInstance().getProject()))
                && (request.getApp().isEmpty() || request.getApp().equals(event.getInstance().getApp()));
    }
}
