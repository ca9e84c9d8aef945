package io.orchestry.provisioner.fleet;

import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.fleet.NodeFanout.Done;
import io.orchestry.provisioner.fleet.NodeFanout.Failed;
import io.orchestry.provisioner.fleet.NodeFanout.Outcome;
import io.orchestry.provisioner.fleet.NodeFanout.TimedOut;
import io.orchestry.provisioner.placement.Allocations;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.Fingerprint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent the nodes do not need to run themselves (leader only): every round it fingerprints each node this
 * provisioner has a driver for (independent ones excepted), all in parallel with a time-out that counts as unreachable,
 * and sends a heartbeat for each healthy one; an unhealthy one gets none, so the registry's monitor turns it SUSPECT and
 * DOWN on its own. Why is logged once per change. It also reports each node's allocation (the requests of its
 * non-retiring instances) when it changed. The round's period is the registry's heartbeat interval once it has said one.
 */
public final class NodeAgent {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final Fleet fleet;
    private final Drivers drivers;
    private final InstanceRepository instances;
    private final AppRepository apps;
    private final NodeReporter reporter;
    private final NodeFanout fanout;
    private final Duration fingerprintTimeout;
    private final AgentReach reach;
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final Map<String, Allocation> reported = new ConcurrentHashMap<>();
    private volatile Duration interval;

    private record Allocation(ComputeResources requests, int count) {
    }

    public NodeAgent(Fleet fleet, Drivers drivers, InstanceRepository instances, AppRepository apps,
                     NodeReporter reporter, NodeFanout fanout, FleetConfig config) {
        this(fleet, drivers, instances, apps, reporter, fanout, config, new AgentReach());
    }

    public NodeAgent(Fleet fleet, Drivers drivers, InstanceRepository instances, AppRepository apps,
                     NodeReporter reporter, NodeFanout fanout, FleetConfig config, AgentReach reach) {
        this.reach = reach;
        this.fleet = fleet;
        this.drivers = drivers;
        this.instances = instances;
        this.apps = apps;
        this.reporter = reporter;
        this.fanout = fanout;
        this.fingerprintTimeout = config.fingerprintTimeout();
        this.interval = config.heartbeatInterval();
    }

    /** One round; returns how long until the next. */
    public Duration tick() {
        List<FleetNode> nodes = fleet.nodes().stream()
                .filter(node -> !node.independent() && drivers.supports(node.driverKind()))
                .toList();
        Map<String, Outcome<Fingerprint>> fingerprints = fanout.call(nodes,
                node -> drivers.forNode(NodeTargets.of(node)).fingerprint(), fingerprintTimeout);
        for (FleetNode node : nodes) {
            heartbeat(node.name(), fingerprints.get(node.name()));
        }
        reportAllocations(nodes);
        return interval;
    }

    /** The period of the rounds now. */
    public Duration interval() {
        return interval;
    }

    /** Forgets what was reported, so every allocation is reported again (a new leader cannot know what the last said). */
    public void forgetReported() {
        reported.clear();
        problems.clear();
        reach.clear();
    }

    private void heartbeat(String node, Outcome<Fingerprint> outcome) {
        Optional<String> problem = problem(outcome);
        if (problem.isPresent()) {
            reach.silent(node);
            noteProblem(node, "unreachable, no heartbeat: " + problem.get());
            return;
        }
        reach.answered(node); // even if the heartbeat below does not get through: the node itself answers
        try {
            reporter.heartbeat(node, ((Done<Fingerprint>) outcome).value()).ifPresent(this::intervalFromRegistry);
            if (problems.remove(node) != null) {
                LOG.info("node {}: reachable again, heartbeats resumed", node);
            }
        } catch (RuntimeException e) {
            noteProblem(node, "heartbeat not sent: " + e.getMessage());
        }
    }

    private static Optional<String> problem(Outcome<Fingerprint> outcome) {
        if (outcome instanceof Done<Fingerprint> done) {
            return done.value().healthy() ? Optional.empty() : Optional.of(done.value().detail());
        }
        if (outcome instanceof Failed<Fingerprint> failed) {
            return Optional.of("fingerprint failed: " + failed.error());
        }
        return Optional.of("fingerprint timed out after " + ((TimedOut<Fingerprint>) outcome).after());
    }

    private void intervalFromRegistry(Duration registryInterval) {
        if (!registryInterval.equals(interval)) {
            LOG.info("heartbeats every {} as the registry asks (was {})", registryInterval, interval);
            interval = registryInterval;
        }
    }

    private void noteProblem(String node, String problem) {
        if (!Objects.equals(problems.put(node, problem), problem)) {
            LOG.warn("node {}: {}", node, problem);
        }
    }

    private void reportAllocations(List<FleetNode> nodes) {
        Map<String, ComputeResources> requestsByRevision = new HashMap<>();
        Allocations allocations = Allocations.of(instances.all(), instance -> requestsByRevision.computeIfAbsent(
                instance.app() + "/" + instance.revision(), key -> requests(instance)));
        for (FleetNode node : nodes) {
            Allocation now = new Allocation(allocations.on(node.name()), allocations.countOn(node.name()));
            if (now.equals(reported.get(node.name()))) {
                continue;
            }
            try {
                reporter.allocation(node.name(), now.requests(), now.count());
                reported.put(node.name(), now);
            } catch (RuntimeException e) {
                LOG.debug("node {}: allocation not reported, again next round: {}", node.name(), e.getMessage());
            }
        }
    }

    private ComputeResources requests(Instance instance) {
        return apps.revision(instance.app(), instance.revision())
                .map(revision -> revision.spec().resources().requests())
                .orElse(ComputeResources.ZERO);
    }
}
