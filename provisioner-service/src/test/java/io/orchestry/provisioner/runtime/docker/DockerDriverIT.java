package io.orchestry.provisioner.runtime.docker;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.UnavailableException;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.ImagePullPolicy;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.Fingerprint;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.OwnerSelector;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.RuntimeDriverContract;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker driver against the real engine with the locally built demo image ({@code deploy/images/build}): the shared
 * contract, then what only containers have (pull policy, name conflicts, limits, publishing, OOM). Every container a
 * case makes is removed after the class by its app label, even when a case fails.
 */
class DockerDriverIT extends RuntimeDriverContract {
    static final String FOREIGN_LABEL = "orchestry.test=docker-driver-it";

    private final Set<String> apps = ConcurrentHashMap.newKeySet();
    private RuntimeDriver driver;

    @BeforeAll
    void openDriver() {
        DockerCli.requireEngineAndDemoImage();
        driver = new DockerDriverFactory(Clock.systemUTC()).open(node("unix:///var/run/docker.sock"));
    }

    @AfterAll
    void removeEverythingMade() {
        apps.forEach(app -> DockerCli.removeLabelled("orchestry.app=" + app));
        DockerCli.removeLabelled(FOREIGN_LABEL);
        if (driver != null) {
            driver.close();
        }
    }

    static NodeTarget node(String endpoint) {
        return new NodeTarget("docker-it", DriverKind.DOCKER, endpoint, "127.0.0.1");
    }

    @Override
    protected RuntimeDriver driver() {
        return driver;
    }

    @Override
    protected Runtime demoRuntime() {
        return new Runtime.Container(DockerCli.DEMO_IMAGE, "", List.of(), ImagePullPolicy.NEVER);
    }

    @Override
    protected Runtime unrunnableRuntime() {
        return new Runtime.Container("orchestry/no-such-image:none", "", List.of(), ImagePullPolicy.NEVER);
    }

    @Override
    protected WorkloadSpec spec(String app, Runtime runtime, Map<String, String> env) {
        apps.add(app);
        return super.spec(app, runtime, env);
    }

    @Override
    protected AutoCloseable startForeign(String name) {
        DockerCli.Result run = DockerCli.run("run", "-d", "--name", name, "--label", FOREIGN_LABEL,
                "--network", "none", DockerCli.DEMO_IMAGE);
        assertTrue(run.ok(), run.output());
        return () -> DockerCli.run("rm", "-f", name);
    }

    @Override
    protected void removeLeftovers(WorkloadId id) {
        DockerCli.run("rm", "-f", id.value());
    }

    // ---- what only containers have

    @Test
    void start_missingImageWithPullPolicyNever_namesImageAndNode_andCreatesNothing() {
        WorkloadSpec spec = spec(uniqueApp(), unrunnableRuntime(), Map.of());
        track(spec.id());

        NotOnNodeException refused = assertThrows(NotOnNodeException.class, () -> driver.start(spec));

        assertEquals(NotOnNodeException.Missing.IMAGE, refused.missing());
        assertEquals("image orchestry/no-such-image:none is not on node docker-it (pull policy never)",
                refused.getMessage());
        assertFalse(DockerCli.run("inspect", spec.id().value()).ok());
    }

    @Test
    void start_commandTheImageLacks_notOnNode_andLeavesNothing() {
        WorkloadSpec spec = spec(uniqueApp(), new Runtime.Container(DockerCli.DEMO_IMAGE, "/no/such/binary", List.of(),
                ImagePullPolicy.NEVER), Map.of());
        track(spec.id());

        NotOnNodeException refused = assertThrows(NotOnNodeException.class, () -> driver.start(spec));

        assertEquals(NotOnNodeException.Missing.EXECUTABLE, refused.missing(), refused.getMessage());
        assertFalse(DockerCli.run("inspect", spec.id().value()).ok(), "the created container is removed");
    }

    @Test
    void start_nameTakenByAForeignContainer_refuses_andLeavesItRunning() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        track(spec.id());
        try (AutoCloseable foreign = startForeign(spec.id().value())) {
            String before = DockerCli.run("inspect", "-f", "{{.Id}} {{.State.Running}}", spec.id().value()).output();

            assertThrows(FailedPreconditionException.class, () -> driver.start(spec));
            assertThrows(FailedPreconditionException.class, () -> driver.destroy(spec.id(), true));

            assertEquals(before, DockerCli.run("inspect", "-f", "{{.Id}} {{.State.Running}}", spec.id().value()).output());
            assertTrue(before.endsWith("true"), before);
        }
    }

    @Test
    void start_oursButExited_isRemovedAndCreatedAgain() {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle first = start(spec);
        awaitHealthy(first);
        driver.stop(spec.id(), java.time.Duration.ofSeconds(20));

        WorkloadHandle second = driver.start(spec);

        assertNotEquals(first.runtimeId(), second.runtimeId());
        awaitHealthy(second);
        assertEquals(1, driver.list(OwnerSelector.app(spec.owner().app())).size());
    }

    @Test
    void start_appliesLimitsLabelsEnvAndPublishesEveryPortOnTheNodeAddress() {
        String app = uniqueApp();
        WorkloadSpec base = demoSpec(app, Map.of("GREETING", "hi"));
        WorkloadSpec spec = new WorkloadSpec(base.id(), base.owner(), base.runtime(), base.env(),
                List.of(new PortSpec("http", 8000, PortProtocol.TCP), new PortSpec("admin-api", 9000, PortProtocol.TCP)),
                new ComputeResources(250, 256L * 1024 * 1024));
        WorkloadHandle handle = start(spec);

        assertEquals(List.of("http", "admin-api"), handle.ports().stream().map(p -> p.name()).toList());
        assertEquals("127.0.0.1", handle.host());
        awaitHealthy(handle);
        String id = spec.id().value();
        assertEquals("268435456 250000000",
                DockerCli.run("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", id).output());
        // docker-java sends "no" as the empty name, which the engine reads as no restart
        String restart = DockerCli.run("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", id).output();
        assertTrue(restart.isEmpty() || "no".equals(restart), restart);
        String bindings = DockerCli.run("inspect", "-f",
                "{{range $p, $b := .NetworkSettings.Ports}}{{$p}}={{(index $b 0).HostIp}}:{{(index $b 0).HostPort}} {{end}}",
                id).output();
        assertTrue(bindings.contains("8000/tcp=127.0.0.1:" + handle.ports().get(0).port()), bindings);
        assertTrue(bindings.contains("9000/tcp=127.0.0.1:" + handle.ports().get(1).port()), bindings);
        String env = DockerCli.run("inspect", "-f", "{{join .Config.Env \"\\n\"}}", id).output();
        for (String expected : List.of("GREETING=hi", "PORT=8000", "PORT_HTTP=8000", "PORT_ADMIN_API=9000",
                "ORCHESTRY_INSTANCE=" + id, "ORCHESTRY_APP=" + app, "ORCHESTRY_PROJECT=contract",
                "ORCHESTRY_REVISION=1")) {
            assertTrue(env.lines().anyMatch(expected::equals), expected + " in " + env);
        }
        spec.owner().asLabels().forEach((name, value) -> assertEquals(value,
                DockerCli.run("inspect", "-f", "{{index .Config.Labels \"" + name + "\"}}", id).output(), name));
        WorkloadStatus listed = driver.list(OwnerSelector.app(app)).get(0);
        assertEquals(handle.ports(), listed.handle().ports());
    }

    @Test
    void inspect_containerKilledForMemory_saysOomKilled() {
        // tail keeps a line with no newline in memory: 200 MB of zeros in a 32 MiB container
        Runtime hungry = new Runtime.Container(DockerCli.DEMO_IMAGE, "sh",
                List.of("-c", "head -c 200000000 /dev/zero | tail"), ImagePullPolicy.NEVER);
        WorkloadSpec base = spec(uniqueApp(), hungry, Map.of());
        WorkloadSpec spec = new WorkloadSpec(base.id(), base.owner(), base.runtime(), base.env(), List.of(),
                new ComputeResources(0, 32L * 1024 * 1024));
        start(spec);

        await("the container to end", () -> driver.inspect(spec.id()).orElseThrow().state() == WorkloadState.EXITED);

        WorkloadStatus ended = driver.inspect(spec.id()).orElseThrow();
        assertEquals("OOM killed", ended.error(), ended::toString);
        assertEquals(137, ended.exitCode());
    }

    @Test
    void engineThatDoesNotAnswer_fingerprintsUnhealthy_andCallsAreUnavailable() {
        try (RuntimeDriver nowhere = new DockerDriverFactory(Clock.systemUTC())
                .open(node("unix:///tmp/orchestry-no-docker-here.sock"))) {
            Fingerprint fingerprint = nowhere.fingerprint();

            assertFalse(fingerprint.healthy());
            assertTrue(fingerprint.detail().contains("does not answer"), fingerprint::detail);
            assertThrows(UnavailableException.class, () -> nowhere.list(OwnerSelector.ALL));
            assertThrows(UnavailableException.class, () -> nowhere.start(demoSpec(uniqueApp(), Map.of())));
        }
        try (RuntimeDriver closedPort = new DockerDriverFactory(Clock.systemUTC()).open(node("tcp://127.0.0.1:1"))) {
            assertFalse(closedPort.fingerprint().healthy());
        }
    }

    @Test
    void fingerprint_hasTheEngineAttributes() {
        Fingerprint fingerprint = driver.fingerprint();

        assertTrue(fingerprint.detail().startsWith("Docker Engine "), fingerprint::detail);
        for (String attribute : List.of("engine.version", "os", "kernel", "cgroup.version", "endpoint")) {
            assertTrue(fingerprint.attributes().containsKey(attribute), attribute + " in " + fingerprint.attributes());
        }
    }
}
