package io.orchestry.provisioner.runtime.database.docker;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseDriverContract;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import io.orchestry.provisioner.runtime.docker.DockerCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docker database driver against the real engine with the locally built {@code orchestry/postgres:15}
 * ({@code deploy/images/build postgres}): the shared contract, then what only containers have (no password in the
 * container's configuration, limits, labels on container and volume, a port already taken, a stranger's volume).
 * Whatever a case names is removed after the class, container and volume, even when a case fails.
 */
class DockerDatabaseDriverIT extends DatabaseDriverContract {
    static final String IMAGE = "orchestry/postgres:15";
    static final String FOREIGN_LABEL = "orchestry.test=docker-database-driver-it";

    private final Set<Integer> portsGiven = ConcurrentHashMap.newKeySet();
    private final Set<String> named = ConcurrentHashMap.newKeySet();
    private DatabaseDriver driver;

    @BeforeAll
    void openDriver() {
        DockerCli.requireEngineAndImage(IMAGE, "deploy/images/build postgres");
        driver = new DockerDatabaseDriverFactory().open(new NodeTarget("docker-db-it", DriverKind.DOCKER,
                "unix:///var/run/docker.sock", "127.0.0.1"));
    }

    @AfterAll
    void removeEverythingMade() {
        named.forEach(this::removeLeftovers);
        if (driver != null) {
            driver.close();
        }
    }

    @Override
    protected DatabaseDriver driver() {
        return driver;
    }

    @Override
    protected String version() {
        return "15";
    }

    @Override
    protected int freePort() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (portsGiven.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IllegalStateException("no free port found");
    }

    @Override
    protected void killServer(String name) {
        DockerCli.Result killed = DockerCli.run("kill", name);
        assertTrue(killed.ok(), killed.output());
    }

    @Override
    protected void assertNothingLeft(String name) {
        assertFalse(DockerCli.run("container", "inspect", name).ok(), "container " + name + " is left");
        assertFalse(DockerCli.run("volume", "inspect", name).ok(), "volume " + name + " is left");
    }

    @Override
    protected Foreign makeForeign(String name) {
        named.add(name);
        DockerCli.Result volume = DockerCli.run("volume", "create", "--label", FOREIGN_LABEL, name);
        assertTrue(volume.ok(), volume.output());
        DockerCli.Result run = DockerCli.run("run", "-d", "--pull", "never", "--name", name, "--label", FOREIGN_LABEL,
                "--network", "none", "-v", name + ":/data", IMAGE, "sleep", "infinity");
        assertTrue(run.ok(), run.output());
        return new Foreign() {
            @Override
            public boolean intact() {
                return "true".equals(DockerCli.run("container", "inspect", "-f", "{{.State.Running}}", name).output())
                        && DockerCli.run("volume", "inspect", name).ok();
            }

            @Override
            public void close() {
                removeLeftovers(name);
            }
        };
    }

    @Override
    protected void removeLeftovers(String name) {
        // -v: the foreign container's anonymous volume (the image declares the data folder a volume)
        DockerCli.run("rm", "-f", "-v", name);
        DockerCli.run("volume", "rm", "-f", name);
    }

    @Override
    protected DatabaseServerSpec spec(String project, int port, String password) {
        DatabaseServerSpec spec = super.spec(project, port, password);
        named.add(spec.name());
        return spec;
    }

    // ---- what only containers have

    @Test
    void start_containerAndVolumeCarryTheLabels_limitsApplied_portOnTheNodesAddress_noPasswordInTheConfig()
            throws Exception {
        String password = "secret-" + UUID.randomUUID();
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), password);
        DatabaseServer server = start(spec);
        awaitReady(server, spec);

        String config = DockerCli.run("container", "inspect", spec.name()).output();
        assertFalse(config.contains(password), "the container's configuration must not hold the password");
        assertEquals("postgres " + spec.project() + " 15 true",
                DockerCli.run("container", "inspect", "-f", "{{index .Config.Labels \"orchestry.type\"}} "
                        + "{{index .Config.Labels \"orchestry.project\"}} {{index .Config.Labels \"orchestry.version\"}} "
                        + "{{index .Config.Labels \"orchestry.managed\"}}", spec.name()).output());
        assertEquals("postgres " + spec.project() + " 15",
                DockerCli.run("volume", "inspect", "-f", "{{index .Labels \"orchestry.type\"}} "
                        + "{{index .Labels \"orchestry.project\"}} {{index .Labels \"orchestry.version\"}}",
                        spec.name()).output());
        assertEquals(spec.limits().memoryBytes() + " " + spec.limits().cpuMillis() * 1_000_000L,
                DockerCli.run("container", "inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}",
                        spec.name()).output());
        String restart = DockerCli.run("container", "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}",
                spec.name()).output();
        assertTrue(restart.isEmpty() || restart.equals("no"), "restart policy none, not " + restart);
        assertEquals("127.0.0.1:" + spec.port(), DockerCli.run("container", "inspect", "-f",
                "{{(index (index .HostConfig.PortBindings \"5432/tcp\") 0).HostIp}}:"
                        + "{{(index (index .HostConfig.PortBindings \"5432/tcp\") 0).HostPort}}", spec.name()).output());
        assertEquals("volume " + spec.name() + " /var/lib/postgresql/data", DockerCli.run("container", "inspect", "-f",
                "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}", spec.name()).output());
        assertFalse(DockerCli.run("exec", spec.name(), "test", "-e", "/run/orchestry-postgres-password").ok(),
                "the entrypoint deletes the password file once read");
        assertEquals("64MB", DockerCli.run("exec", spec.name(), "psql", "-U", spec.username(), "-d", spec.databaseName(),
                "-Atc", "SHOW shared_buffers").output(), "settings sized to the 256 MiB limit");
        assertFalse(DockerCli.run("logs", spec.name()).output().contains(password), "the log must not hold it");
    }

    @Test
    void start_onAPortAlreadyTaken_failsClearly_andLeavesNoContainerNorVolume() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DatabaseServerSpec spec = spec(uniqueProject(), taken.getLocalPort(), "pw-" + UUID.randomUUID());
            track(spec.name());

            FailedPreconditionException refused = assertThrows(FailedPreconditionException.class,
                    () -> driver.start(spec));

            assertTrue(refused.getMessage().contains(spec.name()), refused.getMessage());
            assertFalse(refused.getMessage().contains(spec.password()));
            assertNothingLeft(spec.name());
        }
    }

    @Test
    void start_whereAVolumeByTheNameIsNotOurs_isRefused_andTheVolumeIsLeftAlone() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        track(spec.name());
        DockerCli.Result volume = DockerCli.run("volume", "create", "--label", FOREIGN_LABEL, spec.name());
        assertTrue(volume.ok(), volume.output());

        FailedPreconditionException refused = assertThrows(FailedPreconditionException.class, () -> driver.start(spec));

        assertTrue(refused.getMessage().contains("does not carry Orchestry's labels"), refused.getMessage());
        assertFalse(DockerCli.run("container", "inspect", spec.name()).ok());
        driver.destroy(spec.name(), false);
        assertTrue(DockerCli.run("volume", "inspect", spec.name()).ok(), "a stranger's volume is never removed");
    }

    @Test
    void start_withAPasswordOfTwoLines_isRefused_beforeAnythingIsMade() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "first line\nsecond line");
        track(spec.name());

        FailedPreconditionException refused = assertThrows(FailedPreconditionException.class, () -> driver.start(spec));

        assertFalse(refused.getMessage().contains("first line"), refused.getMessage());
        assertNothingLeft(spec.name());
    }

    @Test
    void start_withQuotesAndShellCharactersInThePassword_logsIn_withNoLimits() throws Exception {
        DatabaseServerSpec base = spec(uniqueProject(), freePort(), "it's \"quoted\" \\ $HOME `x` ; -- é");
        DatabaseServerSpec spec = new DatabaseServerSpec(base.name(), base.project(), base.version(), base.port(),
                base.databaseName(), base.username(), base.password(), new ComputeResources(0, 0), 0,
                base.createdAt());
        DatabaseServer server = start(spec);

        awaitReady(server, spec);
        writeRows(server, spec, spec.password(), 2);
        assertEquals(2, countRows(server, spec, spec.password()));
    }

    @Test
    void inspect_ofAKilledServer_saysWhy() throws Exception {
        DatabaseServerSpec spec = spec(uniqueProject(), freePort(), "pw-" + UUID.randomUUID());
        DatabaseServer server = start(spec);
        awaitReady(server, spec);

        killServer(spec.name());
        awaitTrue(() -> driver.inspect(spec.name()).map(s -> !s.running()).orElse(false), "seen as not running");

        DatabaseServer killed = driver.inspect(spec.name()).orElseThrow();
        assertTrue(killed.detail().startsWith("exited with code 137"), killed.detail());
        assertEquals(spec.port(), killed.port());
    }
}
