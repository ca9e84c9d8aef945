package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.HealthCheck;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.fakes.FakeAppRepository;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.observe.HealthProber;
import io.orchestry.provisioner.observe.HealthProbes;
import io.orchestry.provisioner.observe.InstanceWriter;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints (asserts nothing): demo app start to its first 200 on /health through the process driver (and the part of it
 * spent in driver.start()), and start to the instance row HEALTHY through the driver and the HealthProber, each against
 * a bare ProcessBuilder spawn of the same command, median of 10 each, interleaved. Run with
 * {@code -Dit.test=ProcessStartFiguresIT -Dorchestry.bench=true}.
 */
@EnabledIfSystemProperty(named = "orchestry.bench", matches = "true")
class ProcessStartFiguresIT {
    private static final int ROUNDS = 10;

    @Test
    void startToFirstHealthy_driverVersusBareSpawn() throws Exception {
        Path workDir = Files.createTempDirectory("process-start-figures");
        ProcessDriverFactory factory = new ProcessDriverFactory(new ProcessConfig(workDir, Duration.ofSeconds(10), true, 1 << 20, 2), () -> true, java.time.Clock.systemUTC());
        RuntimeDriver driver = factory.open(ProcessDriverIT.NODE);
        List<Long> viaDriver = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        List<Long> inStart = new ArrayList<>();
        List<Long> bareSetsid = new ArrayList<>();
        List<String> command = new ArrayList<>();
        command.add(ProcessDriverIT.java());
        command.addAll(ProcessDriverIT.demo().args());
        try {
            for (int round = 0; round < ROUNDS + 1; round++) {
                long[] d = throughDriver(driver, round);
                long b = bareSpawn(command);
                List<String> withSetsid = new ArrayList<>(List.of("setsid"));
                withSetsid.addAll(command);
                long s = bareSpawn(withSetsid); // a session (and so a scheduler autogroup) of its own, as the driver's
                if (round > 0) { // the first round warms the page cache
                    bareSetsid.add(s);
                    viaDriver.add(d[0]);
                    inStart.add(d[1]);
                    bare.add(b);
                }
            }
        } finally {
            factory.close();
            ProcessDriver.deleteTree(workDir);
        }
        System.out.printf("demo app start -> first 200 on /health, median of %d: process driver %.1f ms, bare ProcessBuilder %.1f ms,"
                + " added %.1f ms, of it in driver.start() %.1f ms; bare through setsid %.1f ms (driver: %s; bare: %s; setsid: %s)%n",
                ROUNDS, median(viaDriver) / 1e6, median(bare) / 1e6, (median(viaDriver) - median(bare)) / 1e6,
                median(inStart) / 1e6, median(bareSetsid) / 1e6, millis(viaDriver), millis(bare), millis(bareSetsid));
    }

    /** Start to first 200, and the time spent in driver.start() itself. */
    private static long[] throughDriver(RuntimeDriver driver, int round) throws Exception {
        OwnerLabels owner = new OwnerLabels("figures", "bench", 1, "orchestry-figures-1-" + round, Instant.EPOCH);
        WorkloadSpec spec = new WorkloadSpec(new WorkloadId(owner.instance()), owner, ProcessDriverIT.demo(), Map.of(),
                List.of(new PortSpec("http", 0, PortProtocol.TCP)), ComputeResources.ZERO);
        long start = System.nanoTime();
        try {
            WorkloadHandle handle = driver.start(spec);
            long started = System.nanoTime();
            awaitHealthy(handle.ports().get(0).port());
            return new long[] {System.nanoTime() - start, started - start};
        } finally {
            driver.destroy(spec.id(), true);
        }
    }

    /**
     * Start to the instance row HEALTHY through the process driver and the real HealthProber on its loops' cadence (a
     * round every 250 ms; with extras: the 50 ms extra round too), the reconciler's part left out: the row is written
     * STARTING as soon as driver.start() returns, as InstanceSteps does. Without extras is how the prober was before.
     */
    @Test
    void startToHealthyRow_throughTheProber_withAndWithoutExtraProbes() throws Exception {
        Path workDir = Files.createTempDirectory("process-start-figures");
        ProcessDriverFactory factory = new ProcessDriverFactory(new ProcessConfig(workDir, Duration.ofSeconds(10), true, 1 << 20, 2), () -> true, java.time.Clock.systemUTC());
        RuntimeDriver driver = factory.open(ProcessDriverIT.NODE);
        List<Long> withExtras = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        List<String> command = new ArrayList<>();
        command.add(ProcessDriverIT.java());
        command.addAll(ProcessDriverIT.demo().args());
        try {
            for (int round = 0; round < ROUNDS + 1; round++) {
                long e = throughProber(driver, round, true);
                long w = round % 3 == 1 ? throughProber(driver, 100 + round, false) : -1; // ~10 s each: a few only
                long b = bareSpawn(command);
                if (round > 0) {
                    withExtras.add(e);
                    if (w >= 0) {
                        without.add(w);
                    }
                    bare.add(b);
                }
            }
        } finally {
            factory.close();
            ProcessDriver.deleteTree(workDir);
        }
        System.out.printf("demo app start -> instance row HEALTHY (prober, 10 s interval), median of %d: driver + prober with extra probes"
                + " %.1f ms, bare ProcessBuilder to first 200 %.1f ms, added %.1f ms; without extra probes (median of %d) %.1f ms"
                + " (with: %s; without: %s; bare: %s)%n", ROUNDS, median(withExtras) / 1e6, median(bare) / 1e6,
                (median(withExtras) - median(bare)) / 1e6, without.size(), median(without) / 1e6, millis(withExtras),
                millis(without), millis(bare));
    }

    private static long throughProber(RuntimeDriver driver, int round, boolean extras) throws Exception {
        String app = "figures" + round;
        OwnerLabels owner = new OwnerLabels(app, "default", 1, "orchestry-" + app + "-1-1", Instant.EPOCH);
        WorkloadSpec spec = new WorkloadSpec(new WorkloadId(owner.instance()), owner, ProcessDriverIT.demo(), Map.of(),
                List.of(new PortSpec("http", 0, PortProtocol.TCP)), ComputeResources.ZERO);
        HealthCheck check = new HealthCheck(new HealthCheck.Http("/health", ""), Duration.ofSeconds(10), Duration.ofSeconds(1),
                3, Duration.ZERO);
        FakeInstanceRepository instances = new FakeInstanceRepository();
        FakeAppRepository apps = new FakeAppRepository();
        AppSpec appSpec = Fixtures.spec(check);
        apps.put(Fixtures.app(app, appSpec), Fixtures.revision(app, appSpec));
        ExecutorService probes = Executors.newFixedThreadPool(2);
        ScheduledExecutorService loops = Executors.newScheduledThreadPool(2);
        HealthProber prober = new HealthProber(instances, apps, new InstanceWriter(instances), a -> { },
                new HealthProbes(new FakeFleet(Fixtures.node("p1")), new Drivers(List.of())), probes, java.time.Clock.systemUTC());
        loops.scheduleWithFixedDelay(prober::tick, 0, 250, TimeUnit.MILLISECONDS);
        if (extras) {
            loops.scheduleWithFixedDelay(prober::tickExtra, 0, HealthProber.EXTRA_SPACING.toMillis(), TimeUnit.MILLISECONDS);
        }
        long start = System.nanoTime();
        try {
            WorkloadHandle handle = driver.start(spec);
            Instance row = Fixtures.withPorts(Fixtures.withState(Fixtures.instance(app, 1, "p1"), InstanceState.STARTING,
                    InstanceHealth.UNKNOWN), "127.0.0.1", handle.ports());
            instances.insert(row);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (instances.get(row.id()).health() != InstanceHealth.HEALTHY) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not healthy: " + instances.get(row.id()));
                }
                Thread.sleep(1); // a bounded poll for the prober's write
            }
            return System.nanoTime() - start;
        } finally {
            loops.shutdownNow();
            probes.shutdownNow();
            driver.destroy(spec.id(), true);
        }
    }

    private static long bareSpawn(List<String> command) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        try {
            awaitHealthy(port);
            return System.nanoTime() - start;
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitHealthy(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) health.toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() == 200) {
                    connection.disconnect();
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no 200 from " + health);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static String millis(List<Long> values) {
        return values.stream().map(v -> String.valueOf(v / 1_000_000)).toList().toString();
    }
}
