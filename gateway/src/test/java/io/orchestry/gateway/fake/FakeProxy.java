package io.orchestry.gateway.fake;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.GrpcErrorInterceptor;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.error.Violations;
import io.orchestry.names.ResourceNames;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.GetAppRequest;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.proxy.v1.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A proxy service in memory for the gateway's tests: the contract of {@code proxy_service.proto}
 * over real gRPC on 127.0.0.1, errors raised as error-model exceptions and turned into statuses by
 * the real {@link GrpcErrorInterceptor}. Routes are checked by {@link FakeRouteRules} (BadRequest
 * field violations in the proto's names) and their app is asked of the fake provisioner, as the
 * real proxy asks the provisioner; private keys are kept and never answered. Every change renders
 * a revision that is applied at once, or rolled back when a test said the next probe fails
 * ({@link #failNextProbe}). Every change is in one resource-version sequence that WatchProxyEvents
 * replays and follows. One per test JVM.
 */
public final class FakeProxy extends ProxyServiceGrpc.ProxyServiceImplBase {
    private static final Set<String> MASK_PATHS = Set.of("app", "hosts", "path_prefix", "strip_prefix", "port_name", "tls",
            "load_balancing", "timeouts", "is_default");
    private static FakeProxy shared;

    private final Map<String, Route> routes = new TreeMap<>();
    private final Map<String, String> keys = new TreeMap<>();
    private final List<ConfigRevision> revisions = new ArrayList<>();
    private final List<WatchProxyEventsResponse> log = new ArrayList<>();
    private final List<StreamObserver<WatchProxyEventsResponse>> watchers = new CopyOnWriteArrayList<>();
    private final ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner;
    private ProxyStatus status = ProxyStatus.newBuilder().setState(NginxState.NGINX_STATE_RUNNING)
            .setMode(NginxMode.NGINX_MODE_MANAGED).setPid(4242).setNginxVersion("1.22.1")
            .setConfigPath("/var/lib/orchestry/proxy/current/nginx.conf").build();
    private Server server;
    private long version;
    private long routeSeq;
    private String failNextProbe;

    private FakeProxy(String provisionerTarget) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(provisionerTarget).usePlaintext().build();
        this.provisioner = ProvisionerServiceGrpc.newBlockingStub(channel);
    }

    /** The one fake of this JVM, asking the shared fake provisioner for apps; stopped when the JVM exits. */
    public static synchronized FakeProxy shared() {
        if (shared == null) {
            FakeProxy fake = new FakeProxy(FakeProvisioner.shared().target());
            try {
                fake.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .addService(ServerInterceptors.intercept(fake, new GrpcErrorInterceptor())).build().start();
            } catch (IOException e) {
                throw new IllegalStateException("the fake proxy cannot listen", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(fake.server::shutdownNow, "fake-proxy-stop"));
            shared = fake;
        }
        return shared;
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The next revision passes nginx -t but its probe fails with {@code error}: it is rolled back. */
    public synchronized void failNextProbe(String error) {
        failNextProbe = error;
    }

    /** The private key the fake keeps for a route (null: none), to show that it arrived. */
    public synchronized String storedKey(String routeId) {
        return keys.get(routeId);
    }

    /** nginx changes state (it died, or was started again): a status event follows. */
    public synchronized void nginx(NginxState state, String error) {
        status = status.toBuilder().setState(state).setLastError(error).setPid(state == NginxState.NGINX_STATE_RUNNING ? 4242 : 0)
                .build();
        emit(WatchProxyEventsResponse.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_MODIFIED).setStatus(status));
    }

    @Override
    public synchronized void createRoute(CreateRouteRequest request, StreamObserver<CreateRouteResponse> out) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "app", request.getApp());
        FakeRouteRules.check(request.getHostsList(), request.getPathPrefix(), request.getPortName(), request.hasTls(),
                request.getTls(), request.hasTimeouts(), request.getTimeouts(), violations);
        violations.throwIfAny();
        App app = app(request.getApp());
        String id = String.format("rt-%04x", ++routeSeq);
        Route.Builder route = Route.newBuilder().setId(id).setApp(app.getName()).setProject(app.getProject())
                .addAllHosts(request.getHostsList()).setPathPrefix(request.getPathPrefix()).setStripPrefix(request.getStripPrefix())
                .setPortName(request.getPortName()).setLoadBalancing(balancing(request.getLoadBalancing()))
                .setIsDefault(request.getIsDefault()).setCreateTime(now()).setUpdateTime(now()).setVersion(1);
        if (request.hasTimeouts()) {
            route.setTimeouts(request.getTimeouts());
        }
        tls(route, request.hasTls(), request.getTls());
        Route saved = save(route.build(), null, request.hasTls() ? request.getTls().getPrivateKeyPem() : null);
        reply(out, CreateRouteResponse.newBuilder().setRoute(saved)
                .setRevision(revise(RevisionTrigger.REVISION_TRIGGER_ROUTE_CHANGE, "route " + id + " created")).build());
    }

    @Override
    public synchronized void getRoute(GetRouteRequest request, StreamObserver<GetRouteResponse> out) {
        reply(out, GetRouteResponse.newBuilder().setRoute(route(request.getId())).build());
    }

    @Override
    public synchronized void listRoutes(ListRoutesRequest request, StreamObserver<ListRoutesResponse> out) {
        PageRequest page = PageRequest.ofGrpc("routes", request.getPageSize(), request.getPageToken());
        List<Route> rows = routes.values().stream()
                .filter(r -> request.getProject().isEmpty() || r.getProject().equals(request.getProject()))
                .filter(r -> request.getApp().isEmpty() || r.getApp().equals(request.getApp()))
                .filter(r -> page.isFirst() || r.getId().compareTo(page.after()) > 0).limit(page.fetchSize()).toList();
        Page<Route> result = Page.of(rows, page, Route::getId);
        reply(out, ListRoutesResponse.newBuilder().addAllRoutes(result.items()).setNextPageToken(result.nextPageToken())
                .setResourceVersion(version).build());
    }

    @Override
    public synchronized void updateRoute(UpdateRouteRequest request, StreamObserver<UpdateRouteResponse> out) {
        Route current = route(request.getId());
        Violations violations = new Violations();
        violations.require(request.hasUpdateMask() && request.getUpdateMask().getPathsCount() > 0, "update_mask", "required");
        request.getUpdateMask().getPathsList().forEach(p -> violations.require(MASK_PATHS.contains(p), "update_mask",
                "unknown path " + p + "; one of " + new TreeSet<>(MASK_PATHS)));
        List<String> mask = request.getUpdateMask().getPathsList();
        if (mask.contains("app")) {
            ResourceNames.checkName(violations, "app", request.getApp());
        }
        FakeRouteRules.check(mask.contains("hosts") ? request.getHostsList() : List.of(),
                mask.contains("path_prefix") ? request.getPathPrefix() : "", mask.contains("port_name") ? request.getPortName() : "",
                mask.contains("tls") && request.hasTls(), request.getTls(), mask.contains("timeouts") && request.hasTimeouts(),
                request.getTimeouts(), violations);
        violations.throwIfAny();
        if (request.getVersion() != current.getVersion()) {
            throw new VersionConflictException("route", current.getId(), request.getVersion(), current.getVersion());
        }
        Route.Builder route = current.toBuilder().setVersion(current.getVersion() + 1).setUpdateTime(now());
        if (mask.contains("app")) {
            App app = app(request.getApp());
            route.setApp(app.getName()).setProject(app.getProject());
        }
        if (mask.contains("hosts")) {
            route.clearHosts().addAllHosts(request.getHostsList());
        }
        if (mask.contains("path_prefix")) {
            route.setPathPrefix(request.getPathPrefix());
        }
        if (mask.contains("strip_prefix")) {
            route.setStripPrefix(request.getStripPrefix());
        }
        if (mask.contains("port_name")) {
            route.setPortName(request.getPortName());
        }
        if (mask.contains("load_balancing")) {
            route.setLoadBalancing(balancing(request.getLoadBalancing()));
        }
        if (mask.contains("timeouts")) {
            route.clearTimeouts();
            if (request.hasTimeouts()) {
                route.setTimeouts(request.getTimeouts());
            }
        }
        if (mask.contains("is_default")) {
            route.setIsDefault(request.getIsDefault());
        }
        String key = keys.get(current.getId());
        if (mask.contains("tls")) {
            tls(route, request.hasTls(), request.getTls());
            key = request.hasTls() ? request.getTls().getPrivateKeyPem() : null;
        }
        Route saved = save(route.build(), current, key);
        reply(out, UpdateRouteResponse.newBuilder().setRoute(saved)
                .setRevision(revise(RevisionTrigger.REVISION_TRIGGER_ROUTE_CHANGE, "route " + saved.getId() + " updated")).build());
    }

    @Override
    public synchronized void deleteRoute(DeleteRouteRequest request, StreamObserver<DeleteRouteResponse> out) {
        Route gone = route(request.getId());
        routes.remove(gone.getId());
        keys.remove(gone.getId());
        emit(WatchProxyEventsResponse.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_DELETED).setRoute(gone));
        reply(out, DeleteRouteResponse.newBuilder()
                .setRevision(revise(RevisionTrigger.REVISION_TRIGGER_ROUTE_CHANGE, "route " + gone.getId() + " deleted")).build());
    }

    @Override
    public synchronized void getProxyStatus(GetProxyStatusRequest request, StreamObserver<GetProxyStatusResponse> out) {
        reply(out, GetProxyStatusResponse.newBuilder().setStatus(status.toBuilder().setRouteCount(routes.size())
                .setUpstreamServerCount(routes.size())).build());
    }

    @Override
    public synchronized void getProxyConfig(GetProxyConfigRequest request, StreamObserver<GetProxyConfigResponse> out) {
        if (request.getRevisionNumber() < 0) {
            throw new InvalidArgumentException("revision_number", "must be 1 or more, or 0 for the one nginx runs");
        }
        long number = request.getRevisionNumber() == 0 ? status.getCurrentRevision() : request.getRevisionNumber();
        if (number < 1 || number > revisions.size()) {
            throw new NotFoundException("revision", Long.toString(request.getRevisionNumber()));
        }
        reply(out, GetProxyConfigResponse.newBuilder().setRevision(revisions.get((int) number - 1)).build());
    }

    @Override
    public synchronized void listConfigRevisions(ListConfigRevisionsRequest request, StreamObserver<ListConfigRevisionsResponse> out) {
        PageRequest page = PageRequest.ofGrpc("revisions", request.getPageSize(), request.getPageToken());
        long after = page.isFirst() ? Long.MAX_VALUE : page.afterAsLong("page_token");
        List<ConfigRevision> newestFirst = new ArrayList<>(revisions);
        java.util.Collections.reverse(newestFirst);
        List<ConfigRevision> rows = newestFirst.stream()
                .filter(r -> request.getOutcomesList().isEmpty() || request.getOutcomesList().contains(r.getOutcome()))
                .filter(r -> r.getNumber() < after).limit(page.fetchSize()).map(r -> r.toBuilder().clearConfig().build()).toList();
        Page<ConfigRevision> result = Page.of(rows, page, r -> Long.toString(r.getNumber()));
        reply(out, ListConfigRevisionsResponse.newBuilder().addAllRevisions(result.items())
                .setNextPageToken(result.nextPageToken()).setResourceVersion(version).build());
    }

    @Override
    public synchronized void reloadProxy(ReloadProxyRequest request, StreamObserver<ReloadProxyResponse> out) {
        reply(out, ReloadProxyResponse.newBuilder().setRevision(revise(RevisionTrigger.REVISION_TRIGGER_MANUAL,
                request.getReason().isEmpty() ? "reload requested" : request.getReason())).build());
    }

    /**
     * One batch for the asked app with what {@link #recordRequests} recorded (zeros otherwise), then the stream stays
     * open until the client cancels, as the proxy's does. An interval under a second is refused as the proxy refuses it.
     */
    @Override
    public void streamRequestMetrics(StreamRequestMetricsRequest request, StreamObserver<StreamRequestMetricsResponse> out) {
        Violations violations = new Violations();
        violations.require(!request.hasInterval() || request.getInterval().getSeconds() >= 1, "interval",
                "must be at least the proxy's interval, PT1S");
        violations.throwIfAny();
        AppRequestMetrics.Builder metrics = AppRequestMetrics.newBuilder().setApp(request.getApp())
                .setProject(request.getProject()).setRequests(recordedRequests).setStatus2Xx(recordedRequests);
        if (recordedRequests > 0) {
            metrics.setLatencyP50(com.google.protobuf.Duration.newBuilder().setNanos(2_000_000));
        }
        out.onNext(StreamRequestMetricsResponse.newBuilder().addMetrics(metrics).build());
    }

    private volatile long recordedRequests;

    /** What the next StreamRequestMetrics batch reports for any app. */
    public void recordRequests(long requests) {
        recordedRequests = requests;
    }

    @Override
    public synchronized void watchProxyEvents(WatchProxyEventsRequest request, StreamObserver<WatchProxyEventsResponse> out) {
        log.stream().filter(e -> e.getResourceVersion() > request.getResourceVersion()).forEach(out::onNext);
        watchers.add(out);
        ((ServerCallStreamObserver<WatchProxyEventsResponse>) out).setOnCancelHandler(() -> watchers.remove(out));
    }

    private App app(String name) {
        try {
            return provisioner.withDeadlineAfter(5, TimeUnit.SECONDS).getApp(GetAppRequest.newBuilder().setName(name).build()).getApp();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw new NotFoundException("app", name);
            }
            throw e;
        }
    }

    private Route route(String id) {
        Route route = routes.get(id);
        if (route == null) {
            throw new NotFoundException("route", id);
        }
        return route;
    }

    /** Stores a route after the checks that need the others: the same hosts and path as another's, a second default. */
    private Route save(Route route, Route replacing, String key) {
        for (Route other : routes.values()) {
            if (other.getId().equals(route.getId())) {
                continue;
            }
            if (new TreeSet<>(other.getHostsList()).equals(new TreeSet<>(route.getHostsList()))
                    && other.getPathPrefix().equals(route.getPathPrefix())) {
                throw new AlreadyExistsException("route", String.join(",", route.getHostsList()) + route.getPathPrefix());
            }
            if (other.getIsDefault() && route.getIsDefault()) {
                throw new InvalidArgumentException("is_default", "route " + other.getId() + " is the default already");
            }
        }
        routes.put(route.getId(), route);
        if (key == null) {
            keys.remove(route.getId());
        } else {
            keys.put(route.getId(), key);
        }
        emit(WatchProxyEventsResponse.newBuilder().setType(replacing == null ? WatchEventType.WATCH_EVENT_TYPE_ADDED
                : WatchEventType.WATCH_EVENT_TYPE_MODIFIED).setRoute(route));
        return route;
    }

    /** Renders, then applies (or rolls back): one revision, an ADDED event when rendered and a MODIFIED one for its outcome. */
    private ConfigRevision revise(RevisionTrigger trigger, String reason) {
        String config = render();
        ConfigRevision pending = ConfigRevision.newBuilder().setId(String.format("rev-%04d", revisions.size() + 1))
                .setNumber(revisions.size() + 1L).setConfig(config).setChecksum(sha256(config))
                .setOutcome(RevisionOutcome.REVISION_OUTCOME_PENDING).setTrigger(trigger).setReason(reason).setCreateTime(now()).build();
        emit(WatchProxyEventsResponse.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_ADDED).setRevision(pending.toBuilder().clearConfig()));
        ConfigRevision.Builder done = pending.toBuilder().setFinishTime(now());
        if (failNextProbe != null) {
            // as the proxy says it: the failed probe names its route (the reason names the changed one)
            done.setOutcome(RevisionOutcome.REVISION_OUTCOME_ROLLED_BACK).setError("probe of " + reason + " failed: " + failNextProbe);
            failNextProbe = null;
        } else {
            done.setOutcome(RevisionOutcome.REVISION_OUTCOME_APPLIED);
        }
        ConfigRevision revision = done.build();
        revisions.add(revision);
        status = status.toBuilder().setLastReloadTime(revision.getFinishTime()).setLastReloadOutcome(revision.getOutcome())
                .setLastError(revision.getError())
                .setCurrentRevision(revision.getOutcome() == RevisionOutcome.REVISION_OUTCOME_APPLIED ? revision.getNumber()
                        : status.getCurrentRevision()).build();
        emit(WatchProxyEventsResponse.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_MODIFIED).setRevision(revision.toBuilder().clearConfig()));
        return revision;
    }

    /** Not nginx's grammar: enough text to read back, naming each route's hosts, path and app (never a key). */
    private String render() {
        StringBuilder config = new StringBuilder("# rendered by the fake proxy\n");
        routes.values().forEach(r -> config.append("server { server_name ").append(r.getHostsCount() == 0 ? "_" : String.join(" ", r.getHostsList()))
                .append("; location ").append(r.getPathPrefix().isEmpty() ? "/" : r.getPathPrefix()).append(" { proxy_pass http://")
                .append(r.getProject()).append('.').append(r.getApp()).append("; } }\n"));
        return config.toString();
    }

    private void emit(WatchProxyEventsResponse.Builder event) {
        WatchProxyEventsResponse withVersion = event.setResourceVersion(++version).build();
        log.add(withVersion);
        for (StreamObserver<WatchProxyEventsResponse> watcher : watchers) {
            try {
                watcher.onNext(withVersion);
            } catch (RuntimeException e) {
                watchers.remove(watcher);
            }
        }
    }

    /** What the route shows of its TLS: the certificate and an expiry, never the key. */
    private static void tls(Route.Builder route, boolean has, TlsConfig tls) {
        if (has) {
            route.setTls(TlsConfig.newBuilder().setCertificatePem(tls.getCertificatePem()).setRedirectHttp(tls.getRedirectHttp())
                    .setCertificateExpireTime(Timestamp.newBuilder().setSeconds(Instant.parse("2027-12-31T00:00:00Z").getEpochSecond())))
                    .setHasTls(true);
        } else {
            route.clearTls().setHasTls(false);
        }
    }

    private static LoadBalancing balancing(LoadBalancing requested) {
        return requested == LoadBalancing.LOAD_BALANCING_UNSPECIFIED ? LoadBalancing.LOAD_BALANCING_ROUND_ROBIN : requested;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }

    private static <T> void reply(StreamObserver<T> out, T response) {
        out.onNext(response);
        out.onCompleted();
    }
}
