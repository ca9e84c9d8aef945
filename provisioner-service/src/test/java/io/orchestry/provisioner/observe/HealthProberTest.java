package io.orchestry.provisioner.observe;

import com.sun.net.httpserver.HttpServer;
import io.orchestry.controlloop.SettableClock;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.HealthCheck;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.fakes.FakeAppRepository;
import io.orchestry.provisioner.fakes.FakeDriverFactory;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.fakes.RecordingAppChangeListener;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthProberTest {
    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final SettableClock clock = new SettableClock();
    private final FakeDriverFactory processes = new FakeDriverFactory(DriverKind.PROCESS, clock);
    private final Drivers drivers = new Drivers(List.of(processes));
    private final FakeFleet fleet = new FakeFleet(Fixtures.node("p1"));
    private final FakeInstanceRepository instances = new FakeInstanceRepository();
    private final FakeAppRepository apps = new FakeAppRepository();
    private final RecordingAppChangeListener listener = new RecordingAppChangeListener();
    private final HealthProber prober = new HealthProber(instances, apps, new InstanceWriter(instances), listener,
            new HealthProbes(fleet, drivers), Runnable::run, clock);
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private int serveHealth() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** App "web" with the check, and its instance 1 STARTING since T0 on the port. */
    private Instance starting(HealthCheck check, int port) {
        AppSpec spec = Fixtures.spec(check);
        apps.put(Fixtures.app("web", spec), Fixtures.revision("web", spec));
        Instance instance = Fixtures.withPorts(
                Fixtures.withState(Fixtures.instance("web", 1, "p1"), InstanceState.STARTING, InstanceHealth.UNKNOWN),
                "127.0.0.1", List.of(new InstancePort("http", port)));
        instances.insert(instance);
        return instance;
    }

    private static HealthCheck check(HealthCheck.Probe probe, int failureThreshold, Duration initialDelay) {
        return new HealthCheck(probe, INTERVAL, Duration.ofSeconds(1), failureThreshold, initialDelay);
    }

    @Test
    void tick_noHealthCheck_healthyAsSoonAsItRuns() {
        Instance instance = starting(null, 8080);

        prober.tick();
        prober.tick();

        Instance row = instances.get(instance.id());
        assertEquals(InstanceState.RUNNING, row.state());
        assertEquals(InstanceHealth.HEALTHY, row.health());
        assertEquals(clock.instant(), row.healthySince());
        assertEquals(1, instances.updates());
        assertEquals(List.of("web"), listener.changed());
    }

    @Test
    void tick_http_healthyThenUnhealthyAfterThresholdThenHealthyAgain() throws IOException {
        Instance instance = starting(check(new HealthCheck.Http("/health", ""), 3, Duration.ZERO), serveHealth());

        prober.tick();
        assertEquals(InstanceHealth.HEALTHY, instances.get(instance.id()).health());
        assertEquals(InstanceState.RUNNING, instances.get(instance.id()).state());
        assertEquals(Fixtures.T0, instances.get(instance.id()).healthySince());

        status.set(503);
        for (int failure = 1; failure <= 2; failure++) {
            clock.advance(INTERVAL);
            prober.tick();
            assertEquals(InstanceHealth.HEALTHY, instances.get(instance.id()).health(), "failure " + failure);
        }
        clock.advance(INTERVAL);
        prober.tick();
        Instance unhealthy = instances.get(instance.id());
        assertEquals(InstanceHealth.UNHEALTHY, unhealthy.health());
        assertNull(unhealthy.healthySince());
        assertTrue(unhealthy.lastError().contains("status 503"), unhealthy.lastError());

        status.set(204);
        clock.advance(INTERVAL);
        prober.tick();
        assertEquals(InstanceHealth.HEALTHY, instances.get(instance.id()).health());
        assertEquals(clock.instant(), instances.get(instance.id()).healthySince());
        assertEquals(List.of("web", "web", "web"), listener.changed());
        assertEquals(5, requests.get());
    }

    @Test
    void tick_healthyStaysHealthy_healthySinceKeptAndNothingWritten() throws IOException {
        Instance instance = starting(check(new HealthCheck.Http("/health", "http"), 1, Duration.ZERO), serveHealth());
        prober.tick();
        int updates = instances.updates();

        for (int i = 0; i < 3; i++) {
            clock.advance(INTERVAL);
            prober.tick();
        }

        assertEquals(updates, instances.updates());
        assertEquals(Fixtures.T0, instances.get(instance.id()).healthySince());
        assertEquals(4, requests.get());
    }

    @Test
    void tick_initialDelayAndInterval_probesOnlyWhenDue() throws IOException {
        starting(check(new HealthCheck.Http("/health", ""), 1, Duration.ofSeconds(10)), serveHealth());

        clock.advance(Duration.ofSeconds(9));
        prober.tick();
        assertEquals(0, requests.get(), "within the initial delay");

        clock.advance(Duration.ofSeconds(1));
        prober.tick();
        prober.tick();
        assertEquals(1, requests.get(), "once per interval");

        clock.advance(INTERVAL);
        prober.tick();
        assertEquals(2, requests.get());
    }

    @Test
    void tick_tcp_connectsOrFails() throws IOException {
        int closedPort;
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Instance instance = starting(check(new HealthCheck.Tcp(""), 1, Duration.ZERO), listening.getLocalPort());
            prober.tick();
            assertEquals(InstanceHealth.HEALTHY, instances.get(instance.id()).health());
            closedPort = listening.getLocalPort();
        }
        clock.advance(INTERVAL);
        prober.tick();

        Instance row = instances.get("orchestry-web-1-1");
        assertEquals(InstanceHealth.UNHEALTHY, row.health());
        assertTrue(row.lastError().startsWith("tcp probe 127.0.0.1:" + closedPort), row.lastError());
    }

    @Test
    void tick_exec_throughTheDriver() {
        Instance instance = starting(check(new HealthCheck.Exec("/bin/check", List.of("--quick")), 1, Duration.ZERO), 1);
        processes.driver("p1").start(new WorkloadSpec(new WorkloadId(instance.id()),
                new OwnerLabels("web", "default", 1, instance.id(), Fixtures.T0), Fixtures.spec().runtime(), Map.of(),
                List.of(), Fixtures.spec().resources().limits()));
        processes.driver("p1").execResult(new ExecResult(1, false, "not yet"));

        prober.tick();

        assertEquals(InstanceHealth.UNHEALTHY, instances.get(instance.id()).health());
        assertEquals("exec probe exited with code 1", instances.get(instance.id()).lastError());
        assertEquals(List.of("exec orchestry-web-1-1 /bin/check --quick"), processes.driver("p1").calls("exec"));
    }

    @Test
    void tick_stoppedOrFailedInstances_notProbed() throws IOException {
        Instance instance = starting(check(new HealthCheck.Http("/health", ""), 1, Duration.ZERO), serveHealth());
        instances.update(Fixtures.withState(instance, InstanceState.FAILED, InstanceHealth.UNKNOWN));

        prober.tick();

        assertEquals(0, requests.get());
    }

    @Test
    void tickExtra_untilTheFirstSuccess_probesEveryExtraSpacing_failuresNotCounted() throws IOException {
        Instance instance = starting(check(new HealthCheck.Http("/health", ""), 2, Duration.ZERO), serveHealth());
        status.set(503);
        prober.tick(); // the regular probe: failure 1 of 2
        for (int i = 0; i < 5; i++) {
            clock.advance(HealthProber.EXTRA_SPACING);
            prober.tickExtra();
        }
        assertEquals(6, requests.get());
        assertEquals(InstanceHealth.UNKNOWN, instances.get(instance.id()).health(), "extra failures count for nothing");

        status.set(200);
        clock.advance(HealthProber.EXTRA_SPACING);
        prober.tickExtra();
        Instance row = instances.get(instance.id());
        assertEquals(InstanceHealth.HEALTHY, row.health());
        assertEquals(InstanceState.RUNNING, row.state());
        assertEquals(clock.instant(), row.healthySince());

        clock.advance(HealthProber.EXTRA_SPACING);
        prober.tickExtra();
        assertEquals(7, requests.get(), "no extra probe once it succeeded");
    }

    @Test
    void tickExtra_regularFailuresStillCount_unhealthyAsWithoutExtras() throws IOException {
        Instance instance = starting(check(new HealthCheck.Http("/health", ""), 2, Duration.ZERO), serveHealth());
        status.set(503);
        prober.tick();
        for (int i = 0; i < 10; i++) {
            clock.advance(HealthProber.EXTRA_SPACING);
            prober.tickExtra();
        }
        clock.advance(INTERVAL);
        prober.tick(); // the second regular failure

        assertEquals(InstanceHealth.UNHEALTHY, instances.get(instance.id()).health());
    }

    @Test
    void tickExtra_notDueYetOrBeforeTheFirstRegularProbe_noProbe() throws IOException {
        starting(check(new HealthCheck.Http("/health", ""), 3, Duration.ofSeconds(1)), serveHealth());
        status.set(503);
        prober.tick(); // within the initial delay
        clock.advance(Duration.ofMillis(900));
        prober.tickExtra();
        assertEquals(0, requests.get(), "extras only follow a regular probe");

        clock.advance(Duration.ofMillis(100));
        prober.tick();
        clock.advance(HealthProber.EXTRA_SPACING.minusMillis(1));
        prober.tickExtra();
        assertEquals(1, requests.get());
    }

    @Test
    void tickExtra_slowStarter_spacingATenthOfTheTimeSinceTheFirstProbe_noneOnceThatReachesTheInterval() throws IOException {
        starting(check(new HealthCheck.Http("/health", ""), 100, Duration.ZERO), serveHealth());
        status.set(503);
        prober.tick();
        clock.advance(Duration.ofSeconds(2));
        prober.tickExtra();
        assertEquals(2, requests.get());

        clock.advance(Duration.ofMillis(150)); // spacing now 215 ms
        prober.tickExtra();
        assertEquals(2, requests.get());
        clock.advance(Duration.ofMillis(100)); // 250 ms since the last, spacing 225 ms
        prober.tickExtra();
        assertEquals(3, requests.get());

        clock.advance(INTERVAL.multipliedBy(10)); // a tenth of the time since the first probe: past the interval
        prober.tickExtra();
        assertEquals(3, requests.get(), "only the regular probes now");
        prober.tick();
        assertEquals(4, requests.get());
    }
}
