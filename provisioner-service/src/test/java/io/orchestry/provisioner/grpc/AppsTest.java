package io.orchestry.provisioner.grpc;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app use cases over gRPC: what each answers, and what reached the database. */
@MicronautTest(transactional = false)
class AppsTest extends ProvisionerComponentTest {

    @Test
    void create_appliesDefaults_writesAppRevisionAndDeploymentInOneGo_andTellsTheReconciler() {
        CreateAppResponse created = stub().createApp(CreateAppRequest.newBuilder().setName("create-ok").setProject(PROJECT)
                .setSpec(processSpec().setReplicas(8)).build());
        App app = created.getApp();
        assertEquals(1, app.getGeneration());
        assertEquals(1, app.getRevision());
        assertEquals(1, app.getVersion());
        assertEquals(RestartPolicy.RESTART_POLICY_ALWAYS, app.getSpec().getRestartPolicy());
        assertEquals(DeploymentStrategy.DEPLOYMENT_STRATEGY_ROLLING_UPDATE, app.getSpec().getDeploymentStrategy());
        assertEquals(2, app.getSpec().getRollingUpdate().getMaxSurge(), "ceil(25% of 8)");
        assertEquals(2, app.getSpec().getRollingUpdate().getMaxUnavailable(), "floor(25% of 8)");
        assertEquals(600, app.getSpec().getRollingUpdate().getProgressDeadline().getSeconds());
        assertEquals(PlacementStrategy.PLACEMENT_STRATEGY_SPREAD, app.getSpec().getPlacement().getStrategy());
        assertEquals(PortProtocol.PORT_PROTOCOL_TCP, app.getSpec().getPorts(0).getProtocol());
        assertEquals(AppState.APP_STATE_PENDING, app.getStatus().getState());

        Deployment deployment = created.getDeployment();
        assertEquals(DeploymentTrigger.DEPLOYMENT_TRIGGER_CREATE, deployment.getTrigger());
        assertEquals(DeploymentState.DEPLOYMENT_STATE_PENDING, deployment.getState());
        assertEquals(0, deployment.getFromRevision());
        assertEquals(1, deployment.getToRevision());
        assertEquals(1, count("SELECT count(*) FROM app WHERE name = ?", "create-ok"));
        assertEquals(1, count("SELECT count(*) FROM app_revision WHERE app = ? AND number = 1", "create-ok"));
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ? AND trigger = 'CREATE'", "create-ok"));
        assertTrue(listener.changed.contains("create-ok"));
        assertEquals(app, stub().getApp(GetAppRequest.newBuilder().setName("create-ok").build()).getApp());
    }

    @Test
    void create_withDefaultsOfSmallApps_surgeAtLeastOne() {
        App app = create("small-app", processSpec().setReplicas(1).build());
        assertEquals(1, app.getSpec().getRollingUpdate().getMaxSurge());
        assertEquals(0, app.getSpec().getRollingUpdate().getMaxUnavailable());
        App timed = create("timed-app", processSpec().setReplicas(1).setRollingUpdate(RollingUpdate.newBuilder()
                .setProgressDeadline(Duration.newBuilder().setSeconds(30))).build());
        assertEquals(1, timed.getSpec().getRollingUpdate().getMaxSurge(), "only the timing given: the default bounds");
        assertEquals(30, timed.getSpec().getRollingUpdate().getProgressDeadline().getSeconds());
        HealthCheck check = create("checked-app", processSpec().setHealthCheck(HealthCheck.newBuilder()
                .setHttp(HttpProbe.newBuilder().setPath("/health"))).build()).getSpec().getHealthCheck();
        assertEquals(10, check.getInterval().getSeconds());
        assertEquals(1, check.getTimeout().getSeconds());
        assertEquals(3, check.getFailureThreshold());
    }

    @Test
    void create_unknownProject_isNotFoundNamingIt_andWritesNothing() {
        StatusRuntimeException e = failure(() -> stub().createApp(CreateAppRequest.newBuilder().setName("lost-app")
                .setProject("no-such-project").setSpec(processSpec()).build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("NOT_FOUND", errorInfo(e).getReason());
        assertEquals("project", errorInfo(e).getMetadataMap().get("kind"));
        assertEquals("no-such-project", errorInfo(e).getMetadataMap().get("name"));
        assertEquals(0, count("SELECT count(*) FROM app WHERE name = ?", "lost-app"));
    }

    @Test
    void create_takenName_isAlreadyExists() {
        create("taken-app", processSpec().build());
        StatusRuntimeException e = failure(() -> create("taken-app", processSpec().build()));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        assertEquals("ALREADY_EXISTS", errorInfo(e).getReason());
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ?", "taken-app"));
    }

    static Stream<Arguments> badInputs() {
        UnaryOperator<AppSpec.Builder> none = b -> b;
        return Stream.of(
                Arguments.of("Bad_Name", none, "name"),
                Arguments.of("x".repeat(64), none, "name"),
                Arguments.of("no-runtime", (UnaryOperator<AppSpec.Builder>) AppSpec.Builder::clearRuntime, "spec"),
                Arguments.of("empty-command", (UnaryOperator<AppSpec.Builder>) b -> b.setProcess(ProcessSpec.newBuilder()), "spec.process.command"),
                Arguments.of("nul-command", (UnaryOperator<AppSpec.Builder>) b -> b.setProcess(ProcessSpec.newBuilder().setCommand("a\0b")), "spec.process.command"),
                Arguments.of("long-command", (UnaryOperator<AppSpec.Builder>) b -> b.setProcess(ProcessSpec.newBuilder().setCommand("x".repeat(4097))), "spec.process.command"),
                Arguments.of("bad-image", (UnaryOperator<AppSpec.Builder>) b -> b.setContainer(ContainerSpec.newBuilder().setImage("Nginx:latest"))
                        .clearPorts().addPorts(PortSpec.newBuilder().setName("http").setContainerPort(80)), "spec.container.image"),
                Arguments.of("bad-digest", (UnaryOperator<AppSpec.Builder>) b -> b.setContainer(ContainerSpec.newBuilder().setImage("nginx@sha256:abc"))
                        .clearPorts().addPorts(PortSpec.newBuilder().setName("http").setContainerPort(80)), "spec.container.image"),
                Arguments.of("no-container-port", (UnaryOperator<AppSpec.Builder>) b -> b.setContainer(ContainerSpec.newBuilder().setImage("nginx:1.25")),
                        "spec.ports[0].containerPort"),
                Arguments.of("dup-container-port", (UnaryOperator<AppSpec.Builder>) b -> b.setContainer(ContainerSpec.newBuilder().setImage("ghcr.io/acme/web:1.4"))
                        .clearPorts().addPorts(PortSpec.newBuilder().setName("a").setContainerPort(80))
                        .addPorts(PortSpec.newBuilder().setName("b").setContainerPort(80)), "spec.ports[1].containerPort"),
                Arguments.of("env-port", (UnaryOperator<AppSpec.Builder>) b -> b.putEnv("PORT", "1"), "spec.env[PORT]"),
                Arguments.of("env-port-x", (UnaryOperator<AppSpec.Builder>) b -> b.putEnv("PORT_HTTP", "1"), "spec.env[PORT_HTTP]"),
                Arguments.of("env-orchestry", (UnaryOperator<AppSpec.Builder>) b -> b.putEnv("ORCHESTRY_APP", "1"), "spec.env[ORCHESTRY_APP]"),
                Arguments.of("env-bad-name", (UnaryOperator<AppSpec.Builder>) b -> b.putEnv("1X", "1"), "spec.env[1X]"),
                Arguments.of("port-name", (UnaryOperator<AppSpec.Builder>) b -> b.clearPorts().addPorts(PortSpec.newBuilder().setName("HTTP")), "spec.ports[0].name"),
                Arguments.of("port-dup-name", (UnaryOperator<AppSpec.Builder>) b -> b.addPorts(PortSpec.newBuilder().setName("http")), "spec.ports[1].name"),
                Arguments.of("replicas-neg", (UnaryOperator<AppSpec.Builder>) b -> b.setReplicas(-1), "spec.replicas"),
                Arguments.of("replicas-big", (UnaryOperator<AppSpec.Builder>) b -> b.setReplicas(1001), "spec.replicas"),
                Arguments.of("request-over-limit", (UnaryOperator<AppSpec.Builder>) b -> b.setResources(ResourceRequirements.newBuilder()
                        .setRequests(ComputeResources.newBuilder().setCpuMillis(500)).setLimits(ComputeResources.newBuilder().setCpuMillis(100))),
                        "spec.resources.requests.cpuMillis"),
                Arguments.of("tiny-memory", (UnaryOperator<AppSpec.Builder>) b -> b.setResources(ResourceRequirements.newBuilder()
                        .setLimits(ComputeResources.newBuilder().setMemoryBytes(1024))), "spec.resources.limits.memoryBytes"),
                Arguments.of("negative-request", (UnaryOperator<AppSpec.Builder>) b -> b.setResources(ResourceRequirements.newBuilder()
                        .setRequests(ComputeResources.newBuilder().setMemoryBytes(-1))), "spec.resources.requests.memoryBytes"),
                Arguments.of("no-probe", (UnaryOperator<AppSpec.Builder>) b -> b.setHealthCheck(HealthCheck.newBuilder()), "spec.healthCheck"),
                Arguments.of("probe-path", (UnaryOperator<AppSpec.Builder>) b -> b.setHealthCheck(HealthCheck.newBuilder()
                        .setHttp(HttpProbe.newBuilder().setPath("health"))), "spec.healthCheck.http.path"),
                Arguments.of("probe-port", (UnaryOperator<AppSpec.Builder>) b -> b.setHealthCheck(HealthCheck.newBuilder()
                        .setTcp(TcpProbe.newBuilder().setPortName("admin"))), "spec.healthCheck.tcp.portName"),
                Arguments.of("probe-no-ports", (UnaryOperator<AppSpec.Builder>) b -> b.clearPorts().setHealthCheck(HealthCheck.newBuilder()
                        .setHttp(HttpProbe.newBuilder().setPath("/"))), "spec.healthCheck.http.portName"),
                Arguments.of("probe-timeout", (UnaryOperator<AppSpec.Builder>) b -> b.setHealthCheck(HealthCheck.newBuilder()
                        .setHttp(HttpProbe.newBuilder().setPath("/")).setInterval(Duration.newBuilder().setSeconds(2))
                        .setTimeout(Duration.newBuilder().setSeconds(5))), "spec.healthCheck.timeout"),
                Arguments.of("probe-threshold", (UnaryOperator<AppSpec.Builder>) b -> b.setHealthCheck(HealthCheck.newBuilder()
                        .setHttp(HttpProbe.newBuilder().setPath("/")).setFailureThreshold(1000)), "spec.healthCheck.failureThreshold"),
                Arguments.of("selector", (UnaryOperator<AppSpec.Builder>) b -> b.setPlacement(Placement.newBuilder().setNodeLabelSelector("a=b,=c")),
                        "spec.placement.nodeLabelSelector"),
                Arguments.of("region", (UnaryOperator<AppSpec.Builder>) b -> b.setPlacement(Placement.newBuilder().addRegions("EU West")),
                        "spec.placement.regions[0]"),
                Arguments.of("rolling-deadline", (UnaryOperator<AppSpec.Builder>) b -> b.setRollingUpdate(RollingUpdate.newBuilder().setMaxSurge(1)
                        .setMinReady(Duration.newBuilder().setSeconds(60)).setProgressDeadline(Duration.newBuilder().setSeconds(30))),
                        "spec.rollingUpdate.progressDeadline"),
                Arguments.of("rolling-negative", (UnaryOperator<AppSpec.Builder>) b -> b.setRollingUpdate(RollingUpdate.newBuilder().setMaxSurge(-1)
                        .setMaxUnavailable(1)), "spec.rollingUpdate.maxSurge"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badInputs")
    void create_badInput_isInvalidArgumentNamingTheField_andWritesNothing(String name, UnaryOperator<AppSpec.Builder> edit, String field) {
        StatusRuntimeException e = failure(() -> stub().createApp(CreateAppRequest.newBuilder().setName(name).setProject(PROJECT)
                .setSpec(edit.apply(processSpec())).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals("INVALID_ARGUMENT", errorInfo(e).getReason());
        assertTrue(violatedFields(e).contains(field), field + " in " + violatedFields(e));
        assertEquals(0, count("SELECT count(*) FROM app WHERE name = ?", name));
        assertEquals(0, count("SELECT count(*) FROM deployment WHERE app = ?", name));
    }

    @Inject
    io.orchestry.provisioner.fleet.FleetWatch fleet;
    private boolean fleetStarted;

    /**
     * The loops are off in tests (application-test.yml), and with them the fleet watch: started here, for the rest of
     * this class. Until it has listed the registry's nodes every spec is accepted; then the idle fleet decides.
     */
    private synchronized void awaitFleet() throws InterruptedException {
        if (!fleetStarted) {
            fleet.start();
            fleetStarted = true;
        }
        for (int i = 0; i < 200 && !(fleet.listed() && fleet.node(NODE).isPresent()
                && fleet.node(DOCKER_NODE).isPresent()); i++) {
            Thread.sleep(50);
        }
        assertTrue(fleet.listed() && fleet.node(NODE).isPresent(), "the fleet lists " + NODE);
    }

    static Stream<Arguments> unplaceable() {
        return Stream.of(
                Arguments.of("fit-selector", (UnaryOperator<AppSpec.Builder>) s -> s.setPlacement(
                        Placement.newBuilder().setNodeLabelSelector("disk=ssd")), "node selector 'disk=ssd' matched no node"),
                Arguments.of("fit-memory", (UnaryOperator<AppSpec.Builder>) s -> s.setResources(ResourceRequirements
                        .newBuilder().setRequests(ComputeResources.newBuilder().setCpuMillis(100)
                                .setMemoryBytes(64L << 30))), "not enough memory on any of 1 node: needs 65536 MiB"),
                Arguments.of("fit-cpu", (UnaryOperator<AppSpec.Builder>) s -> s.setResources(ResourceRequirements
                        .newBuilder().setRequests(ComputeResources.newBuilder().setCpuMillis(64000)
                                .setMemoryBytes(1L << 20))), "not enough CPU on any of 1 node: needs 64000m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unplaceable")
    void create_nothingFits_isResourceExhaustedNamingWhy_andWritesNothing(String name, UnaryOperator<AppSpec.Builder> edit,
                                                                          String why) throws InterruptedException {
        awaitFleet();
        StatusRuntimeException e = failure(() -> create(name, edit.apply(processSpec()).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals("CAPACITY_EXHAUSTED", errorInfo(e).getReason());
        assertTrue(e.getStatus().getDescription().contains(why), e.getStatus().getDescription());
        assertEquals(0, count("SELECT count(*) FROM app WHERE name = ?", name));
        assertEquals(0, count("SELECT count(*) FROM deployment WHERE app = ?", name));
    }

    @Test
    void update_toWhatNothingFits_isResourceExhausted_andChangesNothing() throws InterruptedException {
        awaitFleet();
        App app = create("fit-update", processSpec().build());
        StatusRuntimeException e = failure(() -> stub().updateApp(UpdateAppRequest.newBuilder().setName("fit-update")
                .setVersion(app.getVersion()).setUpdateMask(mask("spec.placement")).setSpec(AppSpec.newBuilder()
                        .setPlacement(Placement.newBuilder().setNodeLabelSelector("gpu"))).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(1, count("SELECT revision FROM app WHERE name = ?", "fit-update"), "nothing written");
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ?", "fit-update"));
    }

    @Test
    void create_manyBadFields_areAllListedAtOnce() {
        StatusRuntimeException e = failure(() -> stub().createApp(CreateAppRequest.newBuilder().setName("Bad").setProject("Bad")
                .putLabels("ok", "not ok").setSpec(processSpec().setReplicas(-1).putEnv("PORT", "1")).build()));
        assertEquals(List.of("name", "project", "labels[ok]", "spec.env[PORT]", "spec.replicas"), violatedFields(e));
    }

    @Test
    void create_validImages_areAccepted() {
        for (String image : List.of("nginx", "nginx:1.25", "ghcr.io/acme/web:1.4", "localhost:5000/a/b_c.d-e:v1",
                "nginx@sha256:" + "a".repeat(64), "registry.example.com/x/y:t@sha256:" + "0".repeat(64))) {
            String name = "image-" + Integer.toHexString(image.hashCode());
            App app = create(name, processSpec().setContainer(ContainerSpec.newBuilder().setImage(image)).clearPorts()
                    .addPorts(PortSpec.newBuilder().setName("http").setContainerPort(8080)).build());
            assertEquals(ImagePullPolicy.IMAGE_PULL_POLICY_NEVER, app.getSpec().getContainer().getPullPolicy(), image);
        }
    }

    @Test
    void list_byProjectAndLabelSelector_inPages() {
        for (int i = 0; i < 5; i++) {
            stub().createApp(CreateAppRequest.newBuilder().setName("listed-" + i).setProject(PROJECT)
                    .putLabels("group", i % 2 == 0 ? "even" : "odd").setSpec(processSpec()).build());
        }
        ListAppsResponse first = stub().listApps(ListAppsRequest.newBuilder().setProject(PROJECT).setLabelSelector("group=even")
                .setPageSize(2).build());
        assertEquals(List.of("listed-0", "listed-2"), first.getAppsList().stream().map(App::getName).toList());
        ListAppsResponse second = stub().listApps(ListAppsRequest.newBuilder().setProject(PROJECT).setLabelSelector("group=even")
                .setPageSize(2).setPageToken(first.getNextPageToken()).build());
        assertEquals(List.of("listed-4"), second.getAppsList().stream().map(App::getName).toList());
        assertEquals("", second.getNextPageToken());
        assertEquals(0, stub().listApps(ListAppsRequest.newBuilder().setProject("other").build()).getAppsCount());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub().listApps(ListAppsRequest.newBuilder().setLabelSelector("=").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub().listApps(ListAppsRequest.newBuilder().setPageToken("junk").build())));
    }

    @Test
    void get_unknown_isNotFound() {
        StatusRuntimeException e = failure(() -> stub().getApp(GetAppRequest.newBuilder().setName("nobody").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals(Map.of("kind", "app", "name", "nobody"), errorInfo(e).getMetadataMap());
    }

    @Test
    void get_isStable() {
        App app = create("stable-app", processSpec().build());
        assertFalse(app.getStopped());
        assertEquals(app, stub().getApp(GetAppRequest.newBuilder().setName("stable-app").build()).getApp());
    }
}
