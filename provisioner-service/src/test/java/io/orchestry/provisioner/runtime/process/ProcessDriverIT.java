package io.orchestry.provisioner.runtime.process;

import io.orchestry.process.ProcStat;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.LogQuery;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.OwnerLabels;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process driver against real processes: the demo app's jar run by this JDK's java. */
class ProcessDriverIT extends RuntimeDriverContract {
    static final NodeTarget NODE = new NodeTarget("local-test", DriverKind.PROCESS, ProcessDriverFactory.LOCAL, "127.0.0.1");
    /** This test's provisioner leads: its exit stops what it runs. */
    private static final java.util.function.BooleanSupplier LEADS = () -> true;

    private Path workDir;

    /** Where the factory keeps NODE's workloads. */
    private Path nodeDir() {
        return workDir.resolve(NODE.name());
    }
    private ProcessDriverFactory factory;
    private RuntimeDriver driver;

    static Path demoJar() {
        Path jar = Path.of("..", "demo-app", "target", "demo-app.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build demo-app first (it is a reactor dependency): no " + jar);
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Runtime.Process demo() {
        return new Runtime.Process(java(), List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", demoJar().toString()), "");
    }

    private ProcessConfig config() {
        return new ProcessConfig(workDir, Duration.ofSeconds(15), true, 1024 * 1024, 3);
    }

    @BeforeAll
    void openDriver() throws Exception {
        workDir = Files.createTempDirectory("process-driver-it");
        factory = new ProcessDriverFactory(config(), LEADS, Clock.systemUTC());
        driver = factory.open(NODE);
    }

    @AfterAll
    void closeDriver() throws Exception {
        factory.close();
        ProcessDriver.deleteTree(workDir);
    }

    @Override
    protected RuntimeDriver driver() {
        return driver;
    }

    @Override
    protected Runtime demoRuntime() {
        return demo();
    }

    @Override
    protected Runtime unrunnableRuntime() {
        return new Runtime.Process("/no/such/executable", List.of(), "");
    }

    @Override
    protected AutoCloseable startForeign(String name) throws Exception {
        // a folder that looks like a workload's but carries no labels of ours, around a real process
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        Path dir = Files.createDirectories(nodeDir().resolve(name));
        ProcessState foreign = new ProcessState(name, sleeper.pid(), ProcStat.read(sleeper.pid()).orElseThrow().startTime(),
                List.of("sleep", "60"), dir.toString(), Map.of(), List.of(), "127.0.0.1", Map.of("owner", "someone-else"),
                "", ComputeResources.ZERO, List.of(), Instant.EPOCH, null, null, "");
        StateFile.write(dir, foreign);
        // a provisioner starting now must not take it either
        ProcessDriverFactory restarted = new ProcessDriverFactory(config(), LEADS, Clock.systemUTC());
        RuntimeDriver second = restarted.open(NODE);
        assertTrue(second.inspect(new WorkloadId(name)).isEmpty());
        second.close();
        return () -> {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            ProcessDriver.deleteTree(dir);
        };
    }

    @Override
    protected void removeLeftovers(WorkloadId id) throws Exception {
        Path dir = nodeDir().resolve(id.value());
        StateFile.read(dir).ifPresent(state -> {
            ProcessHandle.of(state.pid()).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().join();
            });
            Cgroups.remove(state.cgroups());
        });
        ProcessDriver.deleteTree(dir);
    }

    // ---- process-only cases

    @Test
    void start_runsTheCommandItselfAsProcessGroupLeader_pidIsTheApps() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);

        long pid = Long.parseLong(handle.runtimeId().split(":")[0]);
        assertTrue(get(handle, "/").body().contains("\"pid\":" + pid + "}"));
        ProcStat stat = ProcStat.read(pid).orElseThrow();
        assertTrue(stat.leadsItsGroup());
        assertEquals(handle.runtimeId(), pid + ":" + stat.startTime());
    }

    @Test
    void restartedProvisioner_adoptsTheLiveProcess_sameRuntimeId_thenStopsIt() throws Exception {
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);
        ProcessDriverFactory restarted = new ProcessDriverFactory(config(), LEADS, Clock.systemUTC());
        try {
            RuntimeDriver second = restarted.open(NODE);

            WorkloadStatus adopted = second.inspect(spec.id()).orElseThrow();
            assertEquals(WorkloadState.RUNNING, adopted.state());
            assertEquals(handle.runtimeId(), adopted.handle().runtimeId());
            assertEquals(handle.ports(), adopted.handle().ports());
            assertEquals(spec.owner(), adopted.owner());
            assertEquals(handle.runtimeId(), second.start(spec).runtimeId());
            assertTrue(second.stats(spec.id()).orElseThrow().memoryBytes() > 0);

            second.stop(spec.id(), Duration.ofSeconds(20));
            WorkloadStatus stopped = second.inspect(spec.id()).orElseThrow();
            assertEquals(WorkloadState.EXITED, stopped.state());
            assertNull(stopped.exitCode());
            assertTrue(stopped.error().contains("exit code unknown"), stopped.error());
        } finally {
            restarted.close();
        }
    }

    @Test
    void recordedPidNowOfAnotherProcess_isNeverAdoptedNorSignalled() throws Exception {
        String app = uniqueApp();
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            OwnerLabels owner = new OwnerLabels(app, "contract", 1, "orchestry-" + app + "-1-0", Instant.EPOCH);
            Path dir = Files.createDirectories(nodeDir().resolve(owner.instance()));
            track(new WorkloadId(owner.instance()));
            long realStart = ProcStat.read(stranger.pid()).orElseThrow().startTime();
            StateFile.write(dir, new ProcessState(owner.instance(), stranger.pid(), realStart - 1, List.of("sleep"),
                    dir.toString(), Map.of(), List.of(), "127.0.0.1", owner.asLabels(), "", ComputeResources.ZERO, List.of(),
                    Instant.EPOCH, null, null, ""));
            ProcessDriverFactory restarted = new ProcessDriverFactory(config(), LEADS, Clock.systemUTC());
            try {
                RuntimeDriver second = restarted.open(NODE);
                WorkloadStatus status = second.inspect(new WorkloadId(owner.instance())).orElseThrow();
                assertEquals(WorkloadState.EXITED, status.state());
                assertTrue(status.error().contains("another process"), status.error());
                second.stop(status.id(), Duration.ZERO);
                second.destroy(status.id(), true);
                assertTrue(stranger.isAlive());
            } finally {
                restarted.close();
            }
        } finally {
            stranger.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void factoryClose_stopOnExit_stopsWhatItsDriversRun_afterDriversClosedThem() throws Exception {
        ProcessDriverFactory own = new ProcessDriverFactory(config(), LEADS, Clock.systemUTC());
        Drivers drivers = new Drivers(List.of(own));
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        track(spec.id());
        WorkloadHandle handle;
        try {
            handle = drivers.forNode(NODE).start(spec);
            awaitHealthy(handle);
        } finally {
            drivers.close(); // the context destroys Drivers (it depends on the factories) before the factories
            own.close();
        }
        long pid = Long.parseLong(handle.runtimeId().split(":")[0]);
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertEquals(0, StateFile.read(nodeDir().resolve(spec.id().value())).orElseThrow().exitCode());
    }

    @Test
    void factoryClose_stopOnExit_notLeader_onlyReleasesWhatItsDriversAdopted() throws Exception {
        ProcessDriverFactory leader = new ProcessDriverFactory(config(), LEADS, Clock.systemUTC());
        WorkloadSpec spec = demoSpec(uniqueApp(), Map.of());
        track(spec.id());
        long pid;
        try {
            WorkloadHandle handle = leader.open(NODE).start(spec);
            awaitHealthy(handle);
            pid = Long.parseLong(handle.runtimeId().split(":")[0]);
            ProcessDriverFactory standby = new ProcessDriverFactory(config(), () -> false, Clock.systemUTC());
            try {
                RuntimeDriver adopting = standby.open(NODE); // a standby's driver for logs, exec or fingerprints
                assertEquals(WorkloadState.RUNNING, adopting.inspect(spec.id()).orElseThrow().state());
            } finally {
                standby.close();
            }
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the standby's exit stopped the app");
            assertEquals(200, get(handle, "/health").statusCode());
        } finally {
            leader.close();
        }
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the leader's exit stops it");
    }

    @Test
    void nodeReopened_itsNewDriverReplacesTheOldInTheFactory() {
        ProcessDriverFactory own = new ProcessDriverFactory(config(), LEADS, Clock.systemUTC());
        try {
            own.open(NODE).close(); // as Drivers does when a node's endpoint changes
            own.open(NODE);
            assertEquals(1, own.openDrivers());
            own.open(new NodeTarget("other-node", NODE.kind(), NODE.endpoint(), NODE.address()));
            assertEquals(2, own.openDrivers());
        } finally {
            own.close();
        }
    }

    @Test
    void ports_namedPortsAsEnvAndExpandedArgs() throws Exception {
        String app = uniqueApp();
        OwnerLabels owner = new OwnerLabels(app, "contract", 1, "orchestry-" + app + "-1-0", Instant.EPOCH);
        WorkloadSpec spec = new WorkloadSpec(new WorkloadId(owner.instance()), owner,
                new Runtime.Process("echo", List.of("http=${PORT_HTTP}", "admin=$PORT_ADMIN_API", "first=$PORT", "$$HOME"), ""),
                Map.of(), List.of(new PortSpec("http", 0, PortProtocol.TCP), new PortSpec("admin-api", 0, PortProtocol.TCP)),
                ComputeResources.ZERO);
        WorkloadHandle handle = start(spec);
        int http = handle.ports().get(0).port();
        int admin = handle.ports().get(1).port();
        assertFalse(http == admin);

        await("echo exited", () -> driver.inspect(spec.id()).orElseThrow().state() == WorkloadState.EXITED);
        LinkedBlockingQueue<LogEntry> lines = new LinkedBlockingQueue<>();
        driver.logs(spec.id(), new LogQuery(10, false, null), lines::add).close();
        assertEquals(List.of("http=" + http + " admin=" + admin + " first=" + http + " $HOME"),
                lines.stream().map(LogEntry::text).toList());
        assertEquals(0, driver.inspect(spec.id()).orElseThrow().exitCode());
    }

    @Test
    void limits_enforcedThroughCgroups_whenTheDriverSaysSo() throws Exception {
        if (!driver.capabilities().enforcesLimits()) {
            System.out.println("cgroups not usable here: limits recorded only (" + driver.fingerprint().detail() + ")");
            return;
        }
        String app = uniqueApp();
        WorkloadSpec base = demoSpec(app, Map.of());
        WorkloadSpec spec = new WorkloadSpec(base.id(), base.owner(), base.runtime(), base.env(), base.ports(),
                new ComputeResources(500, 256L * 1024 * 1024));
        WorkloadHandle handle = start(spec);
        awaitHealthy(handle);
        ProcessState state = StateFile.read(nodeDir().resolve(spec.id().value())).orElseThrow();
        assertFalse(state.cgroups().isEmpty());
        for (String procs : state.cgroups()) {
            assertTrue(Files.readString(Path.of(procs)).contains(Long.toString(state.pid())), procs);
            Path cgroup = Path.of(procs).getParent();
            if (Files.exists(cgroup.resolve("memory.limit_in_bytes"))) {
                assertEquals(Long.toString(256L * 1024 * 1024), Files.readString(cgroup.resolve("memory.limit_in_bytes")).trim());
            }
            if (Files.exists(cgroup.resolve("cpu.cfs_quota_us"))) {
                assertEquals("50000", Files.readString(cgroup.resolve("cpu.cfs_quota_us")).trim());
            }
        }

        driver.destroy(spec.id(), true);

        for (String procs : state.cgroups()) {
            assertFalse(Files.exists(Path.of(procs).getParent()), procs);
        }
        assertTrue(driver.list(OwnerSelector.app(app)).isEmpty());
    }
}
