package io.orchestry.gateway.fake;

import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.GrpcErrorInterceptor;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.error.Violations;
import io.orchestry.names.LabelSelector;
import io.orchestry.names.ResourceNames;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.v1.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A provisioner in memory for the gateway's tests: the contract of {@code provisioner_service.proto}
 * served over real gRPC on 127.0.0.1, errors raised as error-model exceptions and turned into
 * statuses by the real {@link GrpcErrorInterceptor}, as the real service does. Its reconciler is
 * instant (instances run and are healthy once placed on {@value FakeInstances#NODE}); rollouts stay
 * in progress until a test ends them with {@link #finish}. One per test JVM.
 */
public final class FakeProvisioner extends ProvisionerServiceGrpc.ProvisionerServiceImplBase {
    /** More CPU per replica than any node of the fake has: RESOURCE_EXHAUSTED, as when nothing fits. */
    public static final long CPU_NO_NODE_HAS = 1_000_000;
    private static FakeProvisioner shared;

    private final Map<String, App> apps = new TreeMap<>();
    private final Map<String, List<AppSpec>> revisions = new TreeMap<>();
    private final List<Deployment> deployments = new ArrayList<>();
    private final FakeInstances instances = new FakeInstances();
    private final FakeLogs logs = new FakeLogs();
    private final FakeDatabases databases = new FakeDatabases();
    private Server server;
    private long deploymentSeq;

    /** The one fake of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized FakeProvisioner shared() {
        if (shared == null) {
            FakeProvisioner fake = new FakeProvisioner();
            try {
                fake.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .addService(ServerInterceptors.intercept(fake, new GrpcErrorInterceptor())).build().start();
            } catch (IOException e) {
                throw new IllegalStateException("the fake provisioner cannot listen", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(fake.server::shutdownNow, "fake-provisioner-stop"));
            shared = fake;
        }
        return shared;
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    public FakeLogs logs() {
        return logs;
    }

    /** The fake's databases; its methods that tests call take the provisioner's lock. */
    public FakeDatabases databases() {
        return databases;
    }

    /** Ends a rollout as the reconciler would: {@code state} is final. */
    public synchronized void finish(String deploymentId, DeploymentState state) {
        for (int i = 0; i < deployments.size(); i++) {
            Deployment d = deployments.get(i);
            if (d.getId().equals(deploymentId)) {
                deployments.set(i, d.toBuilder().setState(state).setUpdatedReplicas(d.getDesiredReplicas())
                        .setMessage(state.name()).setEndTime(now()).build());
            }
        }
    }

    /** The ids of the app's instances now. */
    public synchronized List<String> instanceIds(String app) {
        return instances.all().stream().filter(i -> i.getApp().equals(app)).map(Instance::getId).toList();
    }

    @Override
    public synchronized void createApp(CreateAppRequest request, StreamObserver<CreateAppResponse> out) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "name", request.getName());
        violations.require(!request.getProject().isEmpty(), "project", "required");
        ResourceNames.checkLabels(violations, "labels", request.getLabelsMap());
        if (violations.require(request.hasSpec(), "spec", "required")) {
            FakeSpecs.check(request.getSpec(), violations);
        }
        violations.throwIfAny();
        if (apps.containsKey(request.getName())) {
            throw new AlreadyExistsException("app", request.getName());
        }
        fits(request.getSpec());
        App app = App.newBuilder().setName(request.getName()).setProject(request.getProject()).putAllLabels(request.getLabelsMap())
                .setSpec(request.getSpec()).setGeneration(1).setRevision(1).setCreateTime(now()).setUpdateTime(now()).setVersion(1)
                .build();
        revisions.put(app.getName(), new ArrayList<>(List.of(request.getSpec())));
        Deployment deployment = deploy(app, 0, DeploymentTrigger.DEPLOYMENT_TRIGGER_CREATE);
        app = save(app);
        instances.converge(app, false);
        reply(out, CreateAppResponse.newBuilder().setApp(app).setDeployment(deployment).build());
    }

    @Override
    public synchronized void getApp(GetAppRequest request, StreamObserver<GetAppResponse> out) {
        reply(out, GetAppResponse.newBuilder().setApp(app(request.getName())).build());
    }

    @Override
    public synchronized void listApps(ListAppsRequest request, StreamObserver<ListAppsResponse> out) {
        PageRequest page = PageRequest.ofGrpc("apps", request.getPageSize(), request.getPageToken());
        LabelSelector selector = request.getLabelSelector().isEmpty() ? LabelSelector.EVERYTHING
                : LabelSelector.parse(request.getLabelSelector(), "label_selector");
        List<App> rows = apps.values().stream()
                .filter(a -> request.getProject().isEmpty() || a.getProject().equals(request.getProject()))
                .filter(a -> selector.matches(a.getLabelsMap()))
                .filter(a -> page.isFirst() || a.getName().compareTo(page.after()) > 0)
                .limit(page.fetchSize()).toList();
        Page<App> result = Page.of(rows, page, App::getName);
        reply(out, ListAppsResponse.newBuilder().addAllApps(result.items()).setNextPageToken(result.nextPageToken()).build());
    }

    @Override
    public synchronized void updateApp(UpdateAppRequest request, StreamObserver<UpdateAppResponse> out) {
        App app = current(request.getName(), request.getVersion());
        AppSpec.Builder spec = app.getSpec().toBuilder();
        App.Builder next = app.toBuilder();
        Violations violations = new Violations();
        violations.require(request.getUpdateMask().getPathsCount() > 0, "update_mask", "required: the paths to change");
        for (String path : request.getUpdateMask().getPathsList()) {
            if (path.equals("labels")) {
                next.clearLabels().putAllLabels(request.getLabelsMap());
            } else if (path.equals("spec")) {
                spec = request.getSpec().toBuilder();
            } else if (path.startsWith("spec.") && AppSpec.getDescriptor().findFieldByName(path.substring(5)) != null) {
                var field = AppSpec.getDescriptor().findFieldByName(path.substring(5));
                spec.clearField(field);
                if (field.isRepeated() || request.getSpec().hasField(field)) {
                    spec.setField(field, request.getSpec().getField(field));
                }
            } else {
                violations.add("update_mask", "unknown path " + path);
            }
        }
        ResourceNames.checkLabels(violations, "labels", next.getLabelsMap());
        FakeSpecs.check(spec.build(), violations);
        violations.throwIfAny();
        fits(spec.build());
        Deployment deployment = null;
        if (!spec.build().equals(app.getSpec())) {
            next.setGeneration(app.getGeneration() + 1);
            if (FakeSpecs.changesWhatRuns(app.getSpec(), spec.build())) {
                revisions.get(app.getName()).add(spec.build());
                next.setRevision(app.getRevision() + 1);
            }
        }
        next.setSpec(spec);
        if (next.getRevision() != app.getRevision()) {
            deployment = deploy(next.build(), app.getRevision(), DeploymentTrigger.DEPLOYMENT_TRIGGER_UPDATE);
        }
        App saved = save(next.build());
        instances.converge(saved, false);
        UpdateAppResponse.Builder response = UpdateAppResponse.newBuilder().setApp(saved);
        if (deployment != null) {
            response.setDeployment(deployment);
        }
        reply(out, response.build());
    }

    @Override
    public synchronized void deleteApp(DeleteAppRequest request, StreamObserver<DeleteAppResponse> out) {
        app(request.getName());
        instances.removeApp(request.getName());
        apps.remove(request.getName());
        revisions.remove(request.getName());
        reply(out, DeleteAppResponse.getDefaultInstance());
    }

    @Override
    public synchronized void startApp(StartAppRequest request, StreamObserver<StartAppResponse> out) {
        App app = save(app(request.getName()).toBuilder().setStopped(false).build());
        instances.converge(app, false);
        reply(out, StartAppResponse.newBuilder().setApp(app).build());
    }

    @Override
    public synchronized void stopApp(StopAppRequest request, StreamObserver<StopAppResponse> out) {
        App app = save(app(request.getName()).toBuilder().setStopped(true).build());
        instances.converge(app, false);
        reply(out, StopAppResponse.newBuilder().setApp(app).build());
    }

    @Override
    public synchronized void restartApp(RestartAppRequest request, StreamObserver<RestartAppResponse> out) {
        App app = app(request.getName());
        Deployment deployment = deploy(app, app.getRevision(), DeploymentTrigger.DEPLOYMENT_TRIGGER_RESTART);
        app = save(app);
        instances.converge(app, true);
        reply(out, RestartAppResponse.newBuilder().setApp(app).setDeployment(deployment).build());
    }

    @Override
    public synchronized void scaleApp(ScaleAppRequest request, StreamObserver<ScaleAppResponse> out) {
        if (request.getReplicas() < 0) {
            throw new InvalidArgumentException("replicas", "must not be negative");
        }
        App app = request.getVersion() == 0 ? app(request.getName()) : current(request.getName(), request.getVersion());
        App scaled = save(app.toBuilder().setSpec(app.getSpec().toBuilder().setReplicas(request.getReplicas()))
                .setGeneration(app.getGeneration() + 1).build());
        instances.converge(scaled, false);
        reply(out, ScaleAppResponse.newBuilder().setApp(scaled).build());
    }

    @Override
    public synchronized void rollbackApp(RollbackAppRequest request, StreamObserver<RollbackAppResponse> out) {
        App app = app(request.getName());
        long to = request.getToRevision() == 0 ? app.getRevision() - 1 : request.getToRevision();
        List<AppSpec> kept = revisions.get(app.getName());
        if (to < 1 || to > kept.size() || to == app.getRevision()) {
            throw new FailedPreconditionException("app '" + app.getName() + "' has no revision " + to + " to roll back to");
        }
        AppSpec spec = kept.get((int) to - 1).toBuilder().setReplicas(app.getSpec().getReplicas()).build();
        kept.add(spec);
        App next = app.toBuilder().setSpec(spec).setRevision(app.getRevision() + 1).setGeneration(app.getGeneration() + 1).build();
        Deployment deployment = deploy(next, app.getRevision(), DeploymentTrigger.DEPLOYMENT_TRIGGER_ROLLBACK);
        next = save(next);
        instances.converge(next, false);
        reply(out, RollbackAppResponse.newBuilder().setApp(next).setDeployment(deployment).build());
    }

    @Override
    public synchronized void listDeployments(ListDeploymentsRequest request, StreamObserver<ListDeploymentsResponse> out) {
        PageRequest page = PageRequest.ofGrpc("deployments", request.getPageSize(), request.getPageToken());
        long before = page.isFirst() ? Long.MAX_VALUE : page.afterAsLong("page_token");
        List<Deployment> rows = deployments.stream().sorted(Comparator.comparingLong(FakeProvisioner::seq).reversed())
                .filter(d -> request.getProject().isEmpty() || d.getProject().equals(request.getProject()))
                .filter(d -> request.getApp().isEmpty() || d.getApp().equals(request.getApp()))
                .filter(d -> request.getStatesList().isEmpty() || request.getStatesList().contains(d.getState()))
                .filter(d -> seq(d) < before).limit(page.fetchSize()).toList();
        Page<Deployment> result = Page.of(rows, page, d -> Long.toString(seq(d)));
        reply(out, ListDeploymentsResponse.newBuilder().addAllDeployments(result.items()).setNextPageToken(result.nextPageToken()).build());
    }

    @Override
    public synchronized void getDeployment(GetDeploymentRequest request, StreamObserver<GetDeploymentResponse> out) {
        Deployment found = deployments.stream().filter(d -> d.getId().equals(request.getId())).findFirst()
                .orElseThrow(() -> new NotFoundException("deployment", request.getId()));
        reply(out, GetDeploymentResponse.newBuilder().setDeployment(found).build());
    }

    @Override
    public synchronized void getDeploymentStats(GetDeploymentStatsRequest request, StreamObserver<GetDeploymentStatsResponse> out) {
        Map<DeploymentState, Integer> counts = new TreeMap<>();
        int total = 0;
        for (Deployment d : deployments) {
            if ((request.getProject().isEmpty() || d.getProject().equals(request.getProject()))
                    && (request.getApp().isEmpty() || d.getApp().equals(request.getApp()))
                    && (!request.hasSince() || d.getCreateTime().getSeconds() >= request.getSince().getSeconds())) {
                counts.merge(d.getState(), 1, Integer::sum);
                total++;
            }
        }
        GetDeploymentStatsResponse.Builder stats = GetDeploymentStatsResponse.newBuilder().setTotal(total);
        counts.forEach((state, count) -> stats.addCounts(DeploymentStateCount.newBuilder().setState(state).setCount(count)));
        reply(out, stats.build());
    }

    @Override
    public synchronized void listInstances(ListInstancesRequest request, StreamObserver<ListInstancesResponse> out) {
        PageRequest page = PageRequest.ofGrpc("instances", request.getPageSize(), request.getPageToken());
        List<Instance> rows = instances.all().stream().sorted(Comparator.comparing(Instance::getId))
                .filter(i -> request.getProject().isEmpty() || i.getProject().equals(request.getProject()))
                .filter(i -> request.getApp().isEmpty() || i.getApp().equals(request.getApp()))
                .filter(i -> request.getNodeName().isEmpty() || i.getNodeName().equals(request.getNodeName()))
                .filter(i -> request.getStatesList().isEmpty() || request.getStatesList().contains(i.getState()))
                .filter(i -> page.isFirst() || i.getId().compareTo(page.after()) > 0).limit(page.fetchSize()).toList();
        Page<Instance> result = Page.of(rows, page, Instance::getId);
        reply(out, ListInstancesResponse.newBuilder().addAllInstances(result.items()).setNextPageToken(result.nextPageToken())
                .setResourceVersion(instances.version()).build());
    }

    @Override
    public synchronized void deleteInstance(DeleteInstanceRequest request, StreamObserver<DeleteInstanceResponse> out) {
        Instance instance = instances.get(request.getId());
        if (instance == null) {
            throw new NotFoundException("instance", request.getId());
        }
        instances.remove(instance.getId());
        instances.converge(apps.get(instance.getApp()), false);
        reply(out, DeleteInstanceResponse.getDefaultInstance());
    }

    @Override
    public synchronized void watchInstances(WatchInstancesRequest request, StreamObserver<WatchInstancesResponse> out) {
        instances.watch(request, out);
    }

    @Override
    public void getAppLogs(GetAppLogsRequest request, StreamObserver<GetAppLogsResponse> out) {
        synchronized (this) {
            app(request.getApp());
            if (!request.getInstanceId().isEmpty() && instances.get(request.getInstanceId()) == null) {
                throw new NotFoundException("instance", request.getInstanceId());
            }
        }
        if (request.getTailLines() < 0) {
            throw new InvalidArgumentException("tail_lines", "must not be negative");
        }
        logs.serve(request, (ServerCallStreamObserver<GetAppLogsResponse>) out);
    }

    @Override
    public synchronized void drainNode(DrainNodeRequest request, StreamObserver<DrainNodeResponse> out) {
        if (request.getNodeName().isEmpty()) {
            throw new InvalidArgumentException("node_name", "required");
        }
        // the fake moves replicas at once: what was there is reported once, then the node is empty
        int remaining = FakeInstances.NODE.equals(request.getNodeName()) ? 0 : instances.drain(request.getNodeName());
        reply(out, DrainNodeResponse.newBuilder().setRemainingInstances(remaining).build());
    }

    @Override
    public synchronized void createDatabase(CreateDatabaseRequest request, StreamObserver<CreateDatabaseResponse> out) {
        reply(out, CreateDatabaseResponse.newBuilder().setDatabase(databases.create(request)).build());
    }

    @Override
    public synchronized void getDatabase(GetDatabaseRequest request, StreamObserver<GetDatabaseResponse> out) {
        reply(out, GetDatabaseResponse.newBuilder().setDatabase(databases.get(request.getProject())).build());
    }

    @Override
    public synchronized void listDatabases(ListDatabasesRequest request, StreamObserver<ListDatabasesResponse> out) {
        Page<Database> page = databases.list(request);
        reply(out, ListDatabasesResponse.newBuilder().addAllDatabases(page.items()).setNextPageToken(page.nextPageToken()).build());
    }

    @Override
    public synchronized void databaseExists(DatabaseExistsRequest request, StreamObserver<DatabaseExistsResponse> out) {
        reply(out, DatabaseExistsResponse.newBuilder().setExists(databases.exists(request.getProject())).build());
    }

    @Override
    public synchronized void getDatabaseCredentials(GetDatabaseCredentialsRequest request,
                                                    StreamObserver<GetDatabaseCredentialsResponse> out) {
        reply(out, GetDatabaseCredentialsResponse.newBuilder().setCredentials(databases.credentials(request.getProject())).build());
    }

    @Override
    public synchronized void deleteDatabase(DeleteDatabaseRequest request, StreamObserver<DeleteDatabaseResponse> out) {
        databases.delete(request.getProject());
        reply(out, DeleteDatabaseResponse.getDefaultInstance());
    }

    @Override
    public synchronized void updateDatabase(UpdateDatabaseRequest request, StreamObserver<UpdateDatabaseResponse> out) {
        reply(out, UpdateDatabaseResponse.newBuilder().setDatabase(databases.update(request)).build());
    }

    @Override
    public synchronized void createDatabaseBackup(CreateDatabaseBackupRequest request, StreamObserver<CreateDatabaseBackupResponse> out) {
        reply(out, CreateDatabaseBackupResponse.newBuilder().setBackup(databases.backUp(request.getProject())).build());
    }

    @Override
    public synchronized void getDatabaseBackup(GetDatabaseBackupRequest request, StreamObserver<GetDatabaseBackupResponse> out) {
        reply(out, GetDatabaseBackupResponse.newBuilder().setBackup(databases.backup(request.getProject(), request.getId())).build());
    }

    @Override
    public synchronized void listDatabaseBackups(ListDatabaseBackupsRequest request, StreamObserver<ListDatabaseBackupsResponse> out) {
        Page<DatabaseBackup> page = databases.backups(request);
        reply(out, ListDatabaseBackupsResponse.newBuilder().addAllBackups(page.items()).setNextPageToken(page.nextPageToken()).build());
    }

    @Override
    public synchronized void restoreDatabase(RestoreDatabaseRequest request, StreamObserver<RestoreDatabaseResponse> out) {
        reply(out, databases.restore(request));
    }

    private App app(String name) {
        App app = apps.get(name);
        if (app == null) {
            throw new NotFoundException("app", name);
        }
        return app;
    }

    private App current(String name, long version) {
        App app = app(name);
        if (app.getVersion() != version) {
            throw new VersionConflictException("app", name, version, app.getVersion());
        }
        return app;
    }

    private static void fits(AppSpec spec) {
        if (spec.getResources().getRequests().getCpuMillis() >= CPU_NO_NODE_HAS) {
            throw ResourceExhaustedException.capacity("no node has " + spec.getResources().getRequests().getCpuMillis()
                    + " CPU millis free");
        }
    }

    /** Stores the app one version on, with a status as an instant reconciler would write it. */
    private App save(App app) {
        int desired = app.getStopped() ? 0 : app.getSpec().getReplicas();
        App saved = app.toBuilder().setVersion(apps.containsKey(app.getName()) ? apps.get(app.getName()).getVersion() + 1 : 1)
                .setUpdateTime(now()).setStatus(AppStatus.newBuilder().setObservedGeneration(app.getGeneration())
                        .setState(app.getStopped() ? AppState.APP_STATE_STOPPED : AppState.APP_STATE_RUNNING)
                        .setDesiredReplicas(desired).setReadyReplicas(desired).setAvailableReplicas(desired)
                        .setUpdatedReplicas(desired).setCurrentRevision(app.getRevision())
                        .addConditions(Condition.newBuilder().setType(ConditionType.CONDITION_TYPE_AVAILABLE)
                                .setStatus(ConditionStatus.CONDITION_STATUS_TRUE).setReason("MinimumReplicasAvailable")
                                .setLastTransitionTime(now()).setObservedGeneration(app.getGeneration())))
                .build();
        apps.put(saved.getName(), saved);
        return saved;
    }

    private Deployment deploy(App app, long from, DeploymentTrigger trigger) {
        for (int i = 0; i < deployments.size(); i++) {
            Deployment d = deployments.get(i);
            if (d.getApp().equals(app.getName()) && (d.getState() == DeploymentState.DEPLOYMENT_STATE_IN_PROGRESS
                    || d.getState() == DeploymentState.DEPLOYMENT_STATE_PENDING)) {
                deployments.set(i, d.toBuilder().setState(DeploymentState.DEPLOYMENT_STATE_SUPERSEDED).setEndTime(now()).build());
            }
        }
        Deployment deployment = Deployment.newBuilder().setId("dep-" + (++deploymentSeq)).setApp(app.getName())
                .setProject(app.getProject()).setFromRevision(from).setToRevision(app.getRevision())
                .setState(DeploymentState.DEPLOYMENT_STATE_IN_PROGRESS)
                .setStrategy(app.getSpec().getDeploymentStrategy() == DeploymentStrategy.DEPLOYMENT_STRATEGY_UNSPECIFIED
                        ? DeploymentStrategy.DEPLOYMENT_STRATEGY_ROLLING_UPDATE : app.getSpec().getDeploymentStrategy())
                .setTrigger(trigger).setDesiredReplicas(app.getSpec().getReplicas()).setCreateTime(now()).setStartTime(now())
                .build();
        deployments.add(deployment);
        return deployment;
    }

    private static long seq(Deployment deployment) {
        return Long.parseLong(deployment.getId().substring("dep-".length()));
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
