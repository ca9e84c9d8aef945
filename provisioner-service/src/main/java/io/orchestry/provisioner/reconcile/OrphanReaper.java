package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.OwnerSelector;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes workloads that carry our labels but have no instance row (a stop that failed half-way, a row of a node that
 * came back after it was forgotten), after Nomad's dangling-container reconciler: only once they are older than the
 * grace (by their {@code orchestry.created_at} label), so a start in flight is never one; with dry-run it only logs.
 * A workload without our labels is never touched: the drivers list only ours, and the labels are checked again here.
 */
public final class OrphanReaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private final InstanceRepository instances;
    private final Fleet fleet;
    private final Drivers drivers;
    private final Duration grace;
    private final boolean dryRun;
    private final Clock clock;

    public OrphanReaper(InstanceRepository instances, Fleet fleet, Drivers drivers, Duration grace, boolean dryRun,
                        Clock clock) {
        this.instances = instances;
        this.fleet = fleet;
        this.drivers = drivers;
        this.grace = grace;
        this.dryRun = dryRun;
        this.clock = clock;
    }

    /** One pass over every reachable node: the number of orphans removed (or, dry-run, that would be). */
    public int reap() {
        int found = 0;
        if (!fleet.listed()) {
            return 0; // the nodes are not known yet: nothing can be called an orphan
        }
        for (FleetNode node : fleet.nodes()) {
            if (node.status() == FleetNode.Status.DOWN || !drivers.supports(node.driverKind())) {
                continue;
            }
            try {
                found += reap(node);
            } catch (RuntimeException e) {
                LOG.info("orphans on {}: could not look ({})", node.name(), e.getMessage());
            }
        }
        return found;
    }

    private int reap(FleetNode node) {
        RuntimeDriver driver = drivers.forNode(new NodeTarget(node.name(), node.driverKind(), node.endpoint(),
                node.address()));
        Set<String> recorded = instances.all().stream().map(Instance::id).collect(Collectors.toSet());
        Instant cutoff = clock.instant().minus(grace);
        int found = 0;
        for (WorkloadStatus workload : driver.list(OwnerSelector.ALL)) {
            String id = workload.id().value();
            if (workload.owner() == null || !id.equals(workload.owner().instance()) || recorded.contains(id)
                    || workload.owner().createdAt().isAfter(cutoff) || instances.find(id).isPresent()) {
                continue;
            }
            found++;
            if (dryRun) {
                LOG.info("orphan {} on {} (app {}, created {}): would remove it (dry run)", id, node.name(),
                        workload.owner().app(), workload.owner().createdAt());
                continue;
            }
            LOG.info("orphan {} on {} (app {}, created {}): removing it", id, node.name(), workload.owner().app(),
                    workload.owner().createdAt());
            driver.destroy(workload.id(), true);
        }
        return found;
    }
}
