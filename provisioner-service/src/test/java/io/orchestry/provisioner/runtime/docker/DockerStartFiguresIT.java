package io.orchestry.provisioner.runtime.docker;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.ImagePullPolicy;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Prints (never asserts) create → first 200 on /health of the demo image through the driver against a bare
 * {@code docker run --rm -d} of the same image, median of 10 each, alternating so both see the same machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerStartFiguresIT {
    private static final int RUNS = 10;
    private static final String LABEL = "orchestry.test=docker-start-figures";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final String app = "fig" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private RuntimeDriver driver;

    @BeforeAll
    void open() {
        DockerCli.requireEngineAndDemoImage();
        driver = new DockerDriverFactory(Clock.systemUTC())
                .open(new NodeTarget("figures", DriverKind.DOCKER, "unix:///var/run/docker.sock", "127.0.0.1"));
    }

    @AfterAll
    void removeAll() {
        DockerCli.removeLabelled("orchestry.app=" + app);
        DockerCli.removeLabelled(LABEL);
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void createToFirst200_driverVersusBareDockerRun() throws Exception {
        List<Long> viaDriver = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            viaDriver.add(throughDriver(run));
            bare.add(bareDockerRun(run));
        }
        System.out.printf("docker start figures (create -> first 200 on /health, %d runs each, ms): "
                        + "driver median %d [%s]; bare docker run median %d [%s]; driver adds %d ms%n",
                RUNS, median(viaDriver), viaDriver, median(bare), bare, median(viaDriver) - median(bare));
    }

    private long throughDriver(int run) throws Exception {
        OwnerLabels owner = new OwnerLabels(app, "figures", 1, "orchestry-" + app + "-1-" + run, Instant.now());
        WorkloadSpec spec = new WorkloadSpec(new WorkloadId(owner.instance()), owner,
                new Runtime.Container(DockerCli.DEMO_IMAGE, "", List.of(), ImagePullPolicy.NEVER), Map.of(),
                List.of(new PortSpec("http", 8000, PortProtocol.TCP)), ComputeResources.ZERO);
        long start = System.nanoTime();
        try {
            WorkloadHandle handle = driver.start(spec);
            awaitHealth(handle.ports().get(0).port());
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            driver.destroy(spec.id(), true);
        }
    }

    private long bareDockerRun(int run) throws Exception {
        int port = freePort();
        String name = app + "-bare-" + run;
        long start = System.nanoTime();
        try {
            DockerCli.Result started = DockerCli.run("run", "--rm", "-d", "--pull", "never", "--name", name,
                    "--label", LABEL, "-p", "127.0.0.1:" + port + ":8000", DockerCli.DEMO_IMAGE);
            if (!started.ok()) {
                throw new AssertionError(started.output());
            }
            awaitHealth(port);
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            DockerCli.run("rm", "-f", name);
        }
    }

    private void awaitHealth(int port) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no 200 from port " + port + " within " + WAIT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
