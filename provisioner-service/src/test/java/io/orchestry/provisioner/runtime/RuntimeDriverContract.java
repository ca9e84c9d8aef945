package io.orchestry.provisioner.runtime;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link RuntimeDriver} owes the reconciler, checked against the real thing (processes, a Docker Engine),
 * after Nomad's shared DriverHarness. Each driver's integration test extends it and provides the driver, a
 * {@link Runtime} that runs the demo app ({@code demo-app/target/demo-app.jar}: listens on {@code $PORT} on 127.0.0.1,
 * answers {@code /health}, exits 0 on SIGTERM, ignores it with {@code DEMO_IGNORE_SIGTERM=1}) and one that cannot start.
 * Every workload a case starts is destroyed after it (force), even when the case fails; {@link #removeLeftovers} is the
 * subclass's last word for what a broken driver might have left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RuntimeDriverContract {
    /** Bounded waits for real asynchronous outcomes (a JVM starting, a container stopping); never for time to pass. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<WorkloadId> started = new ArrayList<>();

    /** The driver under test, the same for every case of the class. */
    protected abstract RuntimeDriver driver();

    /** A runtime that runs the demo app so that it serves HTTP on the port the driver gives it as {@code $PORT}. */
    protected abstract Runtime demoRuntime();

    /** A runtime whose start cannot work: an executable or an image that does not exist. */
    protected abstract Runtime unrunnableRuntime();

    /** Variables the demo app needs on this driver on top of the case's own (e.g. HOST for a container). */
    protected Map<String, String> driverEnv() {
        return Map.of();
    }

    /**
     * Makes something on the node that is not ours (a process or container without our labels, a stray state folder)
     * and returns what removes it.
     */
    protected abstract AutoCloseable startForeign(String name) throws Exception;

    /** Removes whatever a broken driver may have left for this id (kill the pid, remove the container). */
    protected abstract void removeLeftovers(WorkloadId id) throws Exception;

    @AfterEach
    void destroyStarted() throws Exception {
        for (WorkloadId id : started) {
            try {
                driver().destroy(id, true);
            } finally {
                removeLeftovers(id);
            }
        }
        started.clear();
    }

    // ---- the cases

    @Test
    void start_demoApp_listAndInspectShowItRunningWithOurLabels_andItsPortAnswers() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle handle = start(spec);

        assertEquals(spec.id(), handle.id());
        assertEquals(1, handle.ports().size());
        assertEquals("http", handle.ports().get(0).name());
        awaitHealthy(handle);
        WorkloadStatus inspected = driver().inspect(spec.id()).orElseThrow();
        assertEquals(WorkloadState.RUNNING, inspected.state());
        assertEquals(spec.owner(), inspected.owner());
        assertEquals(handle.runtimeId(), inspected.handle().runtimeId());
        List<WorkloadStatus> listed = driver().list(OwnerSelector.app(spec.owner().app()));
        assertEquals(List.of(spec.id()), listed.stream().map(WorkloadStatus::id).toList());
        assertEquals(WorkloadState.RUNNING, listed.get(0).state());
        String identity = get(handle, "/").body();
        assertTrue(identity.contains("\"instance\":\"" + spec.id().value() + "\""), identity);
        assertTrue(identity.contains("\"revision\":\"" + spec.owner().revision() + "\""), identity);
        assertTrue(identity.contains("\"app\":\"" + spec.owner().app() + "\""), identity);
    }

    @Test
    void start_twiceWithTheSameId_adoptsTheRunningOne() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle first = start(spec);
        WorkloadHandle second = driver().start(spec);

        assertEquals(first.runtimeId(), second.runtimeId());
        assertEquals(first.ports(), second.ports());
        assertEquals(1, driver().list(OwnerSelector.app(spec.owner().app())).size());
    }

    @Test
    void stop_withGrace_exitsOnSigtermWithItsExitCode() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);

        driver().stop(spec.id(), Duration.ofSeconds(20));

        WorkloadStatus stopped = driver().inspect(spec.id()).orElseThrow();
        assertEquals(WorkloadState.EXITED, stopped.state());
        assertEquals(0, stopped.exitCode(), "the demo app exits 0 on SIGTERM: " + stopped.error());
        assertNotNull(stopped.finishedAt());
        driver().stop(spec.id(), Duration.ofSeconds(1)); // again: no error
    }

    @Test
    void stop_workloadIgnoringSigterm_isKilledAfterTheGrace() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of("DEMO_IGNORE_SIGTERM", "1"));
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);

        driver().stop(spec.id(), Duration.ofMillis(500));

        WorkloadStatus stopped = driver().inspect(spec.id()).orElseThrow();
        assertEquals(WorkloadState.EXITED, stopped.state());
        assertEquals(137, stopped.exitCode(), "killed by SIGKILL: " + stopped.error());
    }

    @Test
    void destroy_removesItFromListAndInspect() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        start(spec);

        driver().destroy(spec.id(), true);

        assertTrue(driver().inspect(spec.id()).isEmpty());
        assertTrue(driver().list(OwnerSelector.app(spec.owner().app())).isEmpty());
        driver().destroy(spec.id(), true); // again: no error
    }

    @Test
    void list_filtersByOwner_andNeverReturnsForeignThings() throws Exception {
        String app = uniqueApp();
        WorkloadSpec mine = demoSpec(app, Map.of());
        WorkloadSpec other = demoSpec(uniqueApp(), Map.of());
        start(mine);
        start(other);
        try (AutoCloseable foreign = startForeign("orchestry-" + app + "-9-0")) {
            assertEquals(List.of(mine.id()), driver().list(OwnerSelector.app(app)).stream().map(WorkloadStatus::id).toList());
            List<WorkloadId> all = driver().list(OwnerSelector.ALL).stream().map(WorkloadStatus::id).toList();
            assertTrue(all.containsAll(List.of(mine.id(), other.id())), all::toString);
            assertFalse(all.contains(new WorkloadId("orchestry-" + app + "-9-0")), all::toString);
            assertTrue(driver().list(new OwnerSelector("no-such-project", null)).stream()
                    .noneMatch(s -> s.id().equals(mine.id())));
            assertTrue(driver().inspect(new WorkloadId("orchestry-" + app + "-9-0")).isEmpty());
        }
    }

    @Test
    void logs_tailThenFollow_seesALineWrittenAfterTheCall() throws Exception {
        assertTrue(driver().capabilities().logs());
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);
        LinkedBlockingQueue<LogEntry> tail = new LinkedBlockingQueue<>();
        try (AutoCloseable ignored = driver().logs(spec.id(), new LogQuery(100, false, null), tail::add)) {
            await("the start line on stderr in the tail", () -> tail.stream()
                    .anyMatch(e -> e.stream() == LogEntry.Stream.STDERR && e.text().contains("listening on")));
        }

        LinkedBlockingQueue<LogEntry> followed = new LinkedBlockingQueue<>();
        try (AutoCloseable ignored = driver().logs(spec.id(), new LogQuery(0, true, null), followed::add)) {
            String marker = "/sleep?ms=1&marker=" + UUID.randomUUID();
            assertEquals(200, get(handle, marker).statusCode());
            await("the request line on stdout while following", () -> followed.stream()
                    .anyMatch(e -> e.stream() == LogEntry.Stream.STDOUT && e.text().contains(marker)));
            followed.forEach(e -> assertEquals(spec.id(), e.id()));
        }
    }

    @Test
    void stats_ofARunningWorkload_hasMemory() throws Exception {
        if (!driver().capabilities().stats()) {
            return;
        }
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);
        get(handle, "/burn?ms=50");

        WorkloadUsage usage = driver().stats(spec.id()).orElseThrow();

        assertTrue(usage.memoryBytes() > 0, usage::toString);
        assertTrue(usage.cpuMillis() >= 0, usage::toString);
        assertTrue(driver().stats(new WorkloadId("orchestry-not-there-1-0")).isEmpty());
    }

    @Test
    void exec_runsACommandWithTheWorkloadsEnvironment_exitCodes() throws Exception {
        assertTrue(driver().capabilities().exec());
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of("GREETING", "hello"));
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);

        ExecResult ok = driver().exec(spec.id(), List.of("sh", "-c", "echo $GREETING $ORCHESTRY_INSTANCE"), Duration.ofSeconds(20));
        ExecResult failed = driver().exec(spec.id(), List.of("sh", "-c", "exit 7"), Duration.ofSeconds(20));

        assertTrue(ok.succeeded(), ok::toString);
        assertTrue(ok.output().contains("hello " + spec.id().value()), ok::toString);
        assertEquals(7, failed.exitCode());
        assertFalse(failed.succeeded());
    }

    @Test
    void exec_pastItsTimeout_isKilled() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);

        ExecResult result = driver().exec(spec.id(), List.of("sh", "-c", "sleep 60"), Duration.ofMillis(300));

        assertTrue(result.timedOut(), result::toString);
        assertFalse(result.succeeded());
    }

    @Test
    void start_thatCannotWork_notOnNode_andLeavesNothing() {
        String app = uniqueApp();
        WorkloadSpec spec = spec(app, unrunnableRuntime(), Map.of());
        started.add(spec.id());

        // not merely a failed precondition: what the node lacks, so the reconciler blocks instead of retrying
        NotOnNodeException refused = assertThrows(NotOnNodeException.class, () -> driver().start(spec));
        assertEquals(spec.runtime() instanceof io.orchestry.provisioner.domain.Runtime.Container
                ? NotOnNodeException.Missing.IMAGE : NotOnNodeException.Missing.EXECUTABLE, refused.missing());

        assertTrue(driver().inspect(spec.id()).isEmpty());
        assertTrue(driver().list(OwnerSelector.app(app)).isEmpty());
    }

    @Test
    void fingerprint_isHealthyWithCapacity() {
        Fingerprint fingerprint = driver().fingerprint();

        assertTrue(fingerprint.healthy(), fingerprint::detail);
        assertTrue(fingerprint.capacity().cpuMillis() > 0, fingerprint::toString);
        assertTrue(fingerprint.capacity().memoryBytes() > 0, fingerprint::toString);
        assertEquals(demoRuntime().driverKind(), driver().capabilities().kind());
    }

    // ---- for subclasses' own cases

    /** A unique DNS-label app name, so cases never see each other's workloads. */
    protected static String uniqueApp() {
        return "ct" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    protected WorkloadSpec demoSpec(String app, Map<String, String> env) {
        return spec(app, demoRuntime(), env);
    }

    protected WorkloadSpec spec(String app, Runtime runtime, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(driverEnv());
        all.putAll(env);
        OwnerLabels owner = new OwnerLabels(app, "contract", 1, "orchestry-" + app + "-1-0", CREATED);
        return new WorkloadSpec(new WorkloadId(owner.instance()), owner, runtime, all,
                List.of(new PortSpec("http", 8000, PortProtocol.TCP)), ComputeResources.ZERO);
    }

    /** Starts it and destroys it after the case. */
    protected WorkloadHandle start(WorkloadSpec spec) {
        started.add(spec.id());
        return driver().start(spec);
    }

    /** Has a workload a subclass case started itself destroyed after the case, like {@link #start}. */
    protected void track(WorkloadId id) {
        started.add(id);
    }

    protected void awaitHealthy(WorkloadHandle handle) {
        await("GET /health 200 from " + handle.id(), () -> {
            try {
                return get(handle, "/health").statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    protected HttpResponse<String> get(WorkloadHandle handle, String path) throws IOException {
        URI uri = URI.create("http://" + handle.host() + ":" + handle.ports().get(0).port() + path);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    protected static Optional<WorkloadStatus> find(List<WorkloadStatus> statuses, WorkloadId id) {
        return statuses.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
