package io.orchestry.provisioner.observe;

import io.orchestry.controlloop.SettableClock;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.fakes.FakeDriver;
import io.orchestry.provisioner.fakes.FakeDriverFactory;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.fakes.RecordingAppChangeListener;
import io.orchestry.provisioner.fleet.NodeFanout;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceObserverTest {
    private final SettableClock clock = new SettableClock();
    private final FakeDriverFactory processes = new FakeDriverFactory(DriverKind.PROCESS, clock);
    private final Drivers drivers = new Drivers(List.of(processes));
    private final FakeFleet fleet = new FakeFleet(Fixtures.node("p1"));
    private final FakeInstanceRepository instances = new FakeInstanceRepository();
    private final RecordingAppChangeListener listener = new RecordingAppChangeListener();
    private final InstanceObserver observer = new InstanceObserver(fleet, drivers, instances,
            new InstanceWriter(instances), listener, new NodeFanout(Runnable::run), Duration.ofSeconds(1), clock);

    /** Starts the instance's workload on the node's fake driver and records the row as the reconciler would. */
    private Instance running(String app, int n) {
        Instance row = Fixtures.withState(Fixtures.instance(app, n, "p1"), InstanceState.RUNNING, InstanceHealth.HEALTHY);
        FakeDriver driver = processes.driver("p1");
        WorkloadHandle handle = driver.start(new WorkloadSpec(new WorkloadId(row.id()),
                new OwnerLabels(app, "default", 1, row.id(), Fixtures.T0), Fixtures.spec().runtime(), Map.of(),
                Fixtures.spec().ports(), Fixtures.spec().resources().limits()));
        Instance started = new Instance(row.id(), row.app(), row.project(), row.revision(), row.nodeName(),
                row.driverKind(), handle.host(), handle.ports(), row.state(), row.health(), 0, handle.startedAt(),
                Fixtures.T0, row.usage(), "", handle.runtimeId(), false, row.createTime(), row.updateTime());
        instances.insert(started);
        return started;
    }

    @ParameterizedTest(name = "exit {0} ''{1}'' -> {2} ''{3}''")
    @CsvSource(delimiter = '|', textBlock = """
            1   |            | FAILED  | exited with code 1
            137 | OOM killed | FAILED  | OOM killed
            0   |            | STOPPED |
            """)
    void tick_workloadExited_instanceEndsWithWhy(int code, String error, InstanceState state, String lastError) {
        Instance instance = running("web", 1);
        processes.driver("p1").exit(instance.id(), code, error == null ? "" : error);

        observer.tick();

        Instance row = instances.get(instance.id());
        assertEquals(state, row.state());
        assertEquals(InstanceHealth.UNKNOWN, row.health());
        assertEquals(lastError == null ? "" : lastError, row.lastError());
        assertEquals(null, row.healthySince());
        assertEquals(List.of("web"), listener.changed());
    }

    @Test
    void tick_workloadGone_failedWorkloadDisappeared() {
        Instance instance = running("web", 1);
        processes.driver("p1").vanish(instance.id());

        observer.tick();

        assertEquals(InstanceState.FAILED, instances.get(instance.id()).state());
        assertEquals("workload disappeared", instances.get(instance.id()).lastError());
    }

    @Test
    void tick_nothingChanged_writesNothing() {
        running("web", 1);
        running("api", 1);
        int events = instances.events().size();

        observer.tick();
        observer.tick();

        assertEquals(events, instances.events().size());
        assertEquals(0, instances.updates());
        assertTrue(listener.changed().isEmpty());
    }

    @Test
    void tick_exitSeenTwice_writtenOnceAndEveryAppTouchedToldOnce() {
        Instance web1 = running("web", 1);
        Instance web2 = running("web", 2);
        running("api", 1);
        processes.driver("p1").exit(web1.id(), 2);
        processes.driver("p1").exit(web2.id(), 3);

        observer.tick();
        observer.tick();

        assertEquals(2, instances.updates());
        assertEquals(List.of("web"), listener.changed());
    }

    @Test
    void tick_unreachableOrDownNode_skipped() {
        Instance instance = running("web", 1);
        processes.driver("p1").vanish(instance.id());
        processes.driver("p1").unreachable(true);

        observer.tick();
        assertEquals(InstanceState.RUNNING, instances.get(instance.id()).state());

        processes.driver("p1").unreachable(false);
        fleet.put(Fixtures.node("p1", DriverKind.PROCESS, FleetNode.Status.DOWN));
        observer.tick();
        assertEquals(InstanceState.RUNNING, instances.get(instance.id()).state(), "the reconciler reschedules those");
    }

    @Test
    void tick_pendingOrStoppingInstancesAndWorkloadsWithoutRows_leftAlone() {
        Instance pending = Fixtures.withState(Fixtures.instance("web", 7, "p1"), InstanceState.PENDING,
                InstanceHealth.UNKNOWN);
        instances.insert(pending);
        Instance orphan = running("old", 1);
        instances.delete(orphan.id());

        observer.tick();

        assertEquals(InstanceState.PENDING, instances.get(pending.id()).state());
        assertTrue(processes.driver("p1").workload(orphan.id()).isPresent(), "the orphan reaper's");
        assertTrue(processes.driver("p1").calls("stop").isEmpty());
    }
}
