package io.orchestry.provisioner.reconcile;

import io.orchestry.controlloop.SettableClock;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.fakes.FakeDriver;
import io.orchestry.provisioner.fakes.FakeDriverFactory;
import io.orchestry.provisioner.fakes.FakeFleet;
import io.orchestry.provisioner.fakes.FakeInstanceRepository;
import io.orchestry.provisioner.fakes.Fixtures;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Orphans: ours, without a row, older than the grace — removed; anything else kept; dry run keeps all. */
class OrphanReaperTest {
    private static final Duration GRACE = Duration.ofSeconds(60);

    private final SettableClock clock = new SettableClock();
    private final FakeInstanceRepository instances = new FakeInstanceRepository();
    private final FakeFleet fleet = new FakeFleet(Fixtures.node("n1"));
    private final FakeDriverFactory factory = new FakeDriverFactory(DriverKind.PROCESS, clock);
    private final Drivers drivers = new Drivers(List.of(factory));
    private final FakeDriver n1 = factory.driver("n1");

    private void workload(String id) {
        n1.start(new WorkloadSpec(new WorkloadId(id), new OwnerLabels("web", "default", 1, id, clock.instant()),
                Fixtures.spec().runtime(), Map.of(), List.of(), Fixtures.spec().resources().limits()));
    }

    @Test
    void reap_oursWithoutRowPastGrace_destroyed_rowedAndYoungKept() {
        workload("orchestry-web-1-1"); // orphan, old
        workload("orchestry-web-1-2"); // has a row
        instances.insert(Fixtures.instance("web", 2, "n1"));
        clock.advance(GRACE.plusSeconds(1));
        workload("orchestry-web-1-3"); // orphan, too young
        int removed = new OrphanReaper(instances, fleet, drivers, GRACE, false, clock).reap();
        assertEquals(1, removed);
        assertTrue(n1.workload("orchestry-web-1-1").isEmpty());
        assertTrue(n1.workload("orchestry-web-1-2").isPresent());
        assertTrue(n1.workload("orchestry-web-1-3").isPresent());
        assertEquals(List.of("destroy orchestry-web-1-1"), n1.calls("destroy"));
    }

    @Test
    void reap_dryRun_logsOnly() {
        workload("orchestry-web-1-1");
        clock.advance(GRACE.plusSeconds(1));
        int found = new OrphanReaper(instances, fleet, drivers, GRACE, true, clock).reap();
        assertEquals(1, found);
        assertTrue(n1.workload("orchestry-web-1-1").isPresent());
        assertEquals(List.of(), n1.calls("destroy"));
    }

    @Test
    void reap_unreachableNode_skipped() {
        workload("orchestry-web-1-1");
        clock.advance(GRACE.plusSeconds(1));
        n1.unreachable(true);
        assertEquals(0, new OrphanReaper(instances, fleet, drivers, GRACE, false, clock).reap());
    }
}
