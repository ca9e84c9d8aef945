package io.orchestry.bench;

import com.google.protobuf.Timestamp;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.AppSpec;
import io.orchestry.provisioner.v1.AppState;
import io.orchestry.provisioner.v1.AppStatus;
import io.orchestry.provisioner.v1.GetAppRequest;
import io.orchestry.provisioner.v1.GetAppResponse;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.InstanceAddress;
import io.orchestry.provisioner.v1.InstanceHealth;
import io.orchestry.provisioner.v1.InstancePort;
import io.orchestry.provisioner.v1.InstanceState;
import io.orchestry.provisioner.v1.ListInstancesRequest;
import io.orchestry.provisioner.v1.ListInstancesResponse;
import io.orchestry.provisioner.v1.PortSpec;
import io.orchestry.provisioner.v1.ProcessSpec;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.provisioner.v1.WatchEventType;
import io.orchestry.provisioner.v1.WatchInstancesRequest;
import io.orchestry.provisioner.v1.WatchInstancesResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The three provisioner RPCs the proxy service calls — {@code GetApp} (an app's ports), {@code ListInstances} and
 * {@code WatchInstances} (its upstreams) — served in this process on 127.0.0.1, so that the proxy benchmark measures
 * the proxy and starts at "the instance is healthy" (the provisioner's own share, starting a replica, is
 * {@code bench/run reconcile}). Apps have one port, {@code http}; instances are added, made healthy or unhealthy and
 * deleted by the benchmark, each change one event pushed to every open watch in resource-version order. Every other
 * RPC answers UNIMPLEMENTED, and the first call of each is printed.
 */
final class ProxyBenchProvisioner extends ProvisionerServiceGrpc.ProvisionerServiceImplBase implements AutoCloseable {
    private static final Set<String> SERVED = Set.of("GetApp", "ListInstances", "WatchInstances");

    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Set<String> reportedUnserved = ConcurrentHashMap.newKeySet();
    /** Guarded by this, as are history, watches and version. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<WatchInstancesResponse> history = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    private long version;
    private Server server;

    private record Watch(WatchInstancesRequest request, ServerCallStreamObserver<WatchInstancesResponse> stream) {
        boolean wants(Instance instance) {
            return (request.getApp().isEmpty() || request.getApp().equals(instance.getApp()))
                    && (request.getProject().isEmpty() || request.getProject().equals(instance.getProject()));
        }
    }

    static ProxyBenchProvisioner start() {
        ProxyBenchProvisioner provisioner = new ProxyBenchProvisioner();
        try {
            provisioner.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(ServerInterceptors.intercept(provisioner, provisioner.reportUnserved()))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the bench's provisioner", e);
        }
        return provisioner;
    }

    int port() {
        return server.getPort();
    }

    /** An app of {@code project} with one port, {@code http}, running. */
    void addApp(String name, String project) {
        apps.put(name, App.newBuilder().setName(name).setProject(project).setGeneration(1).setRevision(1).setVersion(1)
                .setSpec(AppSpec.newBuilder().setProcess(ProcessSpec.newBuilder().setCommand("java"))
                        .addPorts(PortSpec.newBuilder().setName("http").setContainerPort(8000)).setReplicas(1))
                .setStatus(AppStatus.newBuilder().setObservedGeneration(1).setState(AppState.APP_STATE_RUNNING))
                .setCreateTime(now()).setUpdateTime(now()).build());
    }

    /** The instance is RUNNING and HEALTHY at 127.0.0.1:{@code port}: ADDED when new, else MODIFIED. */
    synchronized void healthy(String app, String id, int port, long pid) {
        Instance known = instances.get(id);
        Instance instance = (known != null ? known.toBuilder() : Instance.newBuilder().setId(id).setApp(app)
                .setProject(apps.get(app).getProject()).setRevision(1).setNodeName("local").setCreateTime(now()))
                .setAddress(InstanceAddress.newBuilder().setHost("127.0.0.1").setPort(port))
                .clearPorts().addPorts(InstancePort.newBuilder().setName("http").setPort(port))
                .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealth(InstanceHealth.INSTANCE_HEALTH_HEALTHY)
                .setRuntimeId(Long.toString(pid)).setStartTime(known != null ? known.getStartTime() : now()).build();
        publish(known == null ? WatchEventType.WATCH_EVENT_TYPE_ADDED : WatchEventType.WATCH_EVENT_TYPE_MODIFIED, instance);
    }

    /** The instance keeps running and fails its health check: MODIFIED. */
    synchronized void unhealthy(String id) {
        Instance instance = instances.get(id).toBuilder().setHealth(InstanceHealth.INSTANCE_HEALTH_UNHEALTHY)
                .setLastError("health check failed (bench)").build();
        publish(WatchEventType.WATCH_EVENT_TYPE_MODIFIED, instance);
    }

    /** The instance is gone: DELETED with its last state. */
    synchronized void delete(String id) {
        Instance last = instances.get(id).toBuilder().setState(InstanceState.INSTANCE_STATE_STOPPED).build();
        publish(WatchEventType.WATCH_EVENT_TYPE_DELETED, last);
    }

    synchronized boolean knows(String id) {
        return instances.containsKey(id);
    }

    /** How many watches the proxy holds open (1 once it follows its upstreams). */
    synchronized int openWatches() {
        return watches.size();
    }

    private void publish(WatchEventType type, Instance instance) {
        if (type == WatchEventType.WATCH_EVENT_TYPE_DELETED) {
            instances.remove(instance.getId());
        } else {
            instances.put(instance.getId(), instance);
        }
        WatchInstancesResponse event = WatchInstancesResponse.newBuilder().setType(type).setInstance(instance)
                .setResourceVersion(++version).build();
        history.add(event);
        for (Watch watch : List.copyOf(watches)) {
            send(watch, event);
        }
    }

    private void send(Watch watch, WatchInstancesResponse event) {
        if (!watch.wants(event.getInstance())) {
            return;
        }
        try {
            watch.stream().onNext(event);
        } catch (RuntimeException cancelled) {
            watches.remove(watch);
        }
    }

    @Override
    public void getApp(GetAppRequest request, StreamObserver<GetAppResponse> response) {
        App app = apps.get(request.getName());
        if (app == null) {
            response.onError(Status.NOT_FOUND.withDescription("app " + request.getName() + " not found").asRuntimeException());
            return;
        }
        response.onNext(GetAppResponse.newBuilder().setApp(app).build());
        response.onCompleted();
    }

    @Override
    public synchronized void listInstances(ListInstancesRequest request, StreamObserver<ListInstancesResponse> response) {
        ListInstancesResponse.Builder page = ListInstancesResponse.newBuilder().setResourceVersion(version);
        for (Instance instance : instances.values()) {
            if ((request.getApp().isEmpty() || request.getApp().equals(instance.getApp()))
                    && (request.getProject().isEmpty() || request.getProject().equals(instance.getProject()))
                    && (request.getNodeName().isEmpty() || request.getNodeName().equals(instance.getNodeName()))
                    && (request.getStatesList().isEmpty() || request.getStatesList().contains(instance.getState()))) {
                page.addInstances(instance);
            }
        }
        response.onNext(page.build());
        response.onCompleted();
    }

    @Override
    public synchronized void watchInstances(WatchInstancesRequest request, StreamObserver<WatchInstancesResponse> response) {
        Watch watch = new Watch(request, (ServerCallStreamObserver<WatchInstancesResponse>) response);
        watch.stream().setOnCancelHandler(() -> {
            synchronized (this) {
                watches.remove(watch);
            }
        });
        // every event is kept, so no version is too old to replay
        for (WatchInstancesResponse event : history) {
            if (event.getResourceVersion() > request.getResourceVersion()) {
                send(watch, event);
            }
        }
        watches.add(watch);
    }

    /** Prints the first call of every RPC this fake does not serve: the proxy needs more than the benchmark assumed. */
    private ServerInterceptor reportUnserved() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String method = call.getMethodDescriptor().getBareMethodName();
                if (!SERVED.contains(method) && reportedUnserved.add(method)) {
                    System.out.println("  [bench provisioner] the proxy called " + method + ", which the benchmark does not serve (UNIMPLEMENTED)");
                }
                return next.startCall(call, headers);
            }
        };
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }

    @Override
    public void close() {
        synchronized (this) {
            for (Watch watch : watches) {
                try {
                    watch.stream().onCompleted();
                } catch (RuntimeException alreadyCancelled) {
                    // the proxy went first
                }
            }
            watches.clear();
        }
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
