package io.orchestry.provisioner.observe;

import io.orchestry.controlloop.SettableClock;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.fakes.FakeDriverFactory;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.fleet.NodeFanout;
import io.orchestry.provisioner.runtime.DriverCapabilities;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import io.orchestry.provisioner.runtime.WorkloadUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsCollectorTest {
    private final SettableClock clock = new SettableClock();
    private final FakeDriverFactory processes = new FakeDriverFactory(DriverKind.PROCESS, clock);
    private final FakeFleet fleet = new FakeFleet(Fixtures.node("p1"));
    private final FakeInstanceRepository instances = new FakeInstanceRepository();
    private final StatsCollector stats = new StatsCollector(fleet, new Drivers(List.of(processes)), instances,
            new InstanceWriter(instances), new NodeFanout(Runnable::run), Duration.ofSeconds(1));

    private Instance runningWithUsage(int n, long cpu, long memory) {
        Instance instance = Fixtures.instance("web", n, "p1");
        instances.insert(instance);
        processes.driver("p1").start(new WorkloadSpec(new WorkloadId(instance.id()),
                new OwnerLabels("web", "default", 1, instance.id(), Fixtures.T0), Fixtures.spec().runtime(), Map.of(),
                List.of(), ComputeResources.ZERO));
        processes.driver("p1").usage(instance.id(), new WorkloadUsage(cpu, memory, clock.instant()));
        return instance;
    }

    @Test
    void tick_runningInstances_usageWrittenWithoutAWatchEvent() {
        Instance a = runningWithUsage(1, 250, 64 << 20);
        Instance b = runningWithUsage(2, 10, 32 << 20);
        int events = instances.events().size();

        stats.tick();

        assertEquals(new ComputeResources(250, 64 << 20), instances.get(a.id()).usage());
        assertEquals(new ComputeResources(10, 32 << 20), instances.get(b.id()).usage());
        assertEquals(events, instances.events().size());
    }

    @Test
    void tick_driverWithoutStatsOrInstanceNotRunning_untouched() {
        Instance a = runningWithUsage(1, 250, 64 << 20);
        Instance b = runningWithUsage(2, 10, 32 << 20);
        instances.update(Fixtures.withState(b, InstanceState.STARTING, InstanceHealth.UNKNOWN));
        processes.driver("p1").capabilities(new DriverCapabilities(DriverKind.PROCESS, false, true, true, false));

        stats.tick();
        assertEquals(ComputeResources.ZERO, instances.get(a.id()).usage());
        assertTrue(processes.driver("p1").calls("stats").isEmpty());

        processes.driver("p1").capabilities(new DriverCapabilities(DriverKind.PROCESS, true, true, true, false));
        stats.tick();
        assertEquals(List.of("stats " + a.id()), processes.driver("p1").calls("stats"));
    }
}
