package io.orchestry.provisioner.observe;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.fleet.NodeFanout;
import io.orchestry.provisioner.fleet.NodeTargets;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Samples the CPU and memory of RUNNING instances (leader only, every round) on nodes whose driver has stats, all nodes in
 * parallel, into each instance's usage (a write without a watch event), where StreamInstanceStats reads it.
 */
public final class StatsCollector {
    private static final Logger LOG = LoggerFactory.getLogger(StatsCollector.class);

    private final Fleet fleet;
    private final Drivers drivers;
    private final InstanceRepository instances;
    private final InstanceWriter writer;
    private final NodeFanout fanout;
    private final Duration nodeTimeout;

    public StatsCollector(Fleet fleet, Drivers drivers, InstanceRepository instances, InstanceWriter writer,
                          NodeFanout fanout, Duration nodeTimeout) {
        this.fleet = fleet;
        this.drivers = drivers;
        this.instances = instances;
        this.writer = writer;
        this.fanout = fanout;
        this.nodeTimeout = nodeTimeout;
    }

    public void tick() {
        Map<String, List<Instance>> running = new HashMap<>();
        List<FleetNode> nodes = fleet.nodes().stream()
                .filter(node -> !node.independent() && node.status() != FleetNode.Status.DOWN
                        && drivers.supports(node.driverKind()))
                .filter(node -> {
                    List<Instance> rows = instances.byNode(node.name()).stream()
                            .filter(i -> i.state() == InstanceState.RUNNING).toList();
                    running.put(node.name(), rows);
                    return !rows.isEmpty();
                })
                .toList();
        Map<String, NodeFanout.Outcome<Map<String, WorkloadUsage>>> samples = fanout.call(nodes,
                node -> sample(node, running.get(node.name())), nodeTimeout);
        samples.forEach((node, outcome) -> {
            if (outcome instanceof NodeFanout.Done<Map<String, WorkloadUsage>> done) {
                done.value().forEach((id, usage) -> writer.change(id, current -> current.state() == InstanceState.RUNNING
                        ? Optional.of(withUsage(current, new ComputeResources(usage.cpuMillis(), usage.memoryBytes())))
                        : Optional.empty()));
            } else {
                LOG.debug("node {}: no stats this round ({})", node, outcome);
            }
        });
    }

    private Map<String, WorkloadUsage> sample(FleetNode node, List<Instance> rows) {
        RuntimeDriver driver = drivers.forNode(NodeTargets.of(node));
        Map<String, WorkloadUsage> usage = new HashMap<>();
        if (!driver.capabilities().stats()) {
            return usage;
        }
        for (Instance instance : rows) {
            try {
                driver.stats(new WorkloadId(instance.id())).ifPresent(sample -> usage.put(instance.id(), sample));
            } catch (RuntimeException e) {
                LOG.debug("instance {}: no stats: {}", instance.id(), e.getMessage());
            }
        }
        return usage;
    }

    private static Instance withUsage(Instance i, ComputeResources usage) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(),
                i.state(), i.health(), i.restartCount(), i.startTime(), i.healthySince(), usage, i.lastError(),
                i.runtimeId(), i.retiring(), i.createTime(), i.updateTime());
    }
}
