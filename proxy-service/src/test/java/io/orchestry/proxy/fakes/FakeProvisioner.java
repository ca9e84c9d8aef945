package io.orchestry.proxy.fakes;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.provisioner.v1.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A provisioner for the proxy's tests: a real gRPC server on 127.0.0.1 serving GetApp, ListInstances and
 * WatchInstances from in-memory maps (the real provisioner needs a registry and drivers). Every instance change gets
 * the next resource version and goes to the open watches, in order.
 */
public final class FakeProvisioner extends ProvisionerServiceGrpc.ProvisionerServiceImplBase implements AutoCloseable {
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<WatchInstancesResponse> history = new ArrayList<>();
    private final List<ServerCallStreamObserver<WatchInstancesResponse>> watchers = new CopyOnWriteArrayList<>();
    private final Server server;
    private long resourceVersion;

    private FakeProvisioner(int unused) throws IOException {
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
    }

    public static FakeProvisioner start() {
        try {
            return new FakeProvisioner(0);
        } catch (IOException e) {
            throw new IllegalStateException("the fake provisioner did not start", e);
        }
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    /** An app of {@code project} with these port names (none: an app without ports). */
    public synchronized void putApp(String name, String project, String... ports) {
        AppSpec.Builder spec = AppSpec.newBuilder();
        for (String port : ports) {
            spec.addPorts(PortSpec.newBuilder().setName(port));
        }
        apps.put(name, App.newBuilder().setName(name).setProject(project).setSpec(spec).build());
    }

    /** A running, healthy instance of {@code app} on 127.0.0.1 with these (name, port) pairs. */
    public static Instance.Builder healthy(String id, String app, Object... namePorts) {
        Instance.Builder b = Instance.newBuilder().setId(id).setApp(app).setProject("web")
                .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealth(InstanceHealth.INSTANCE_HEALTH_HEALTHY);
        for (int i = 0; i < namePorts.length; i += 2) {
            b.addPorts(InstancePort.newBuilder().setName((String) namePorts[i]).setPort((Integer) namePorts[i + 1]));
        }
        int first = namePorts.length > 1 ? (Integer) namePorts[1] : 0;
        return b.setAddress(InstanceAddress.newBuilder().setHost("127.0.0.1").setPort(first));
    }

    public synchronized void putInstance(Instance instance) {
        WatchEventType type = instances.containsKey(instance.getId()) ? WatchEventType.WATCH_EVENT_TYPE_MODIFIED
                : WatchEventType.WATCH_EVENT_TYPE_ADDED;
        instances.put(instance.getId(), instance);
        publish(type, instance);
    }

    public synchronized void deleteInstance(String id) {
        Instance gone = instances.remove(id);
        if (gone != null) {
            publish(WatchEventType.WATCH_EVENT_TYPE_DELETED, gone);
        }
    }

    private void publish(WatchEventType type, Instance instance) {
        WatchInstancesResponse event = WatchInstancesResponse.newBuilder().setType(type).setInstance(instance)
                .setResourceVersion(++resourceVersion).build();
        history.add(event);
        for (ServerCallStreamObserver<WatchInstancesResponse> watcher : watchers) {
            if (!watcher.isCancelled()) {
                watcher.onNext(event);
            }
        }
    }

    @Override
    public synchronized void getApp(GetAppRequest request, StreamObserver<GetAppResponse> response) {
        App app = apps.get(request.getName());
        if (app == null) {
            response.onError(Status.NOT_FOUND.withDescription("app '" + request.getName() + "' not found").asRuntimeException());
            return;
        }
        response.onNext(GetAppResponse.newBuilder().setApp(app).build());
        response.onCompleted();
    }

    @Override
    public synchronized void listInstances(ListInstancesRequest request, StreamObserver<ListInstancesResponse> response) {
        response.onNext(ListInstancesResponse.newBuilder().addAllInstances(instances.values())
                .setResourceVersion(resourceVersion).build());
        response.onCompleted();
    }

    @Override
    public synchronized void watchInstances(WatchInstancesRequest request, StreamObserver<WatchInstancesResponse> observer) {
        var response = (ServerCallStreamObserver<WatchInstancesResponse>) observer;
        for (WatchInstancesResponse event : history) {
            if (event.getResourceVersion() > request.getResourceVersion()) {
                response.onNext(event);
            }
        }
        watchers.add(response);
        response.setOnCancelHandler(() -> watchers.remove(response));
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
