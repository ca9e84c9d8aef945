package io.orchestry.provisioner.observe;

import io.orchestry.provisioner.domain.AppChangeListener;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.fleet.NodeFanout;
import io.orchestry.provisioner.fleet.NodeTargets;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.OwnerSelector;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what runs on each node with the instances recorded there (leader only, every round): a STARTING or RUNNING
 * instance whose workload exited becomes FAILED ("exited with code N", "OOM killed") or, exit 0, STOPPED; one whose
 * workload is gone becomes FAILED "workload disappeared". Health becomes UNKNOWN. Writes only what changed, and tells
 * the reconciler of every app touched. Workloads without an instance are the orphan reaper's; nodes that are DOWN or do
 * not answer are skipped (the reconciler reschedules their replicas).
 */
public final class InstanceObserver {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceObserver.class);
    private static final Set<InstanceState> WATCHED = Set.of(InstanceState.STARTING, InstanceState.RUNNING);

    private final Fleet fleet;
    private final Drivers drivers;
    private final InstanceRepository instances;
    private final InstanceWriter writer;
    private final AppChangeListener listener;
    private final NodeFanout fanout;
    private final Duration nodeTimeout;
    private final Clock clock;

    public InstanceObserver(Fleet fleet, Drivers drivers, InstanceRepository instances, InstanceWriter writer,
                            AppChangeListener listener, NodeFanout fanout, Duration nodeTimeout, Clock clock) {
        this.fleet = fleet;
        this.drivers = drivers;
        this.instances = instances;
        this.writer = writer;
        this.listener = listener;
        this.fanout = fanout;
        this.nodeTimeout = nodeTimeout;
        this.clock = clock;
    }

    /** One round over every node. */
    public void tick() {
        List<FleetNode> nodes = fleet.nodes().stream()
                .filter(node -> !node.independent() && node.status() != FleetNode.Status.DOWN
                        && drivers.supports(node.driverKind()))
                .toList();
        // the rows first, then the workloads: a row started after this read is not judged by a list that predates it
        Map<String, List<Instance>> rows = new HashMap<>();
        for (FleetNode node : nodes) {
            rows.put(node.name(), instances.byNode(node.name()).stream().filter(i -> WATCHED.contains(i.state())).toList());
        }
        List<FleetNode> watched = nodes.stream().filter(node -> !rows.get(node.name()).isEmpty()).toList();
        Map<String, NodeFanout.Outcome<List<WorkloadStatus>>> lists = fanout.call(watched,
                node -> drivers.forNode(NodeTargets.of(node)).list(OwnerSelector.ALL), nodeTimeout);
        Set<String> touched = new TreeSet<>();
        lists.forEach((node, outcome) -> {
            if (outcome instanceof NodeFanout.Done<List<WorkloadStatus>> done) {
                touched.addAll(reconcile(rows.get(node), done.value()));
            } else {
                LOG.debug("node {}: workloads not listed this round ({})", node, outcome);
            }
        });
        touched.forEach(app -> {
            try {
                listener.changed(app);
            } catch (RuntimeException e) {
                LOG.warn("could not tell the reconciler that app {} changed", app, e);
            }
        });
    }

    /** The apps whose instances changed. */
    private Set<String> reconcile(List<Instance> rows, List<WorkloadStatus> workloads) {
        Map<String, WorkloadStatus> byId = new HashMap<>();
        workloads.forEach(w -> byId.put(w.id().value(), w));
        Set<String> touched = new TreeSet<>();
        for (Instance row : rows) {
            WorkloadStatus workload = byId.get(row.id());
            // judged on the row as it is now, if it is still the run that was listed (the reconciler may have replaced it)
            Optional<Instance> written = writer.change(row.id(), current -> sameRun(current, row)
                    && WATCHED.contains(current.state()) ? observed(current, workload) : Optional.empty());
            written.ifPresent(instance -> {
                touched.add(instance.app());
                LOG.info("instance {}: {} ({})", instance.id(), instance.state(), instance.lastError());
            });
        }
        return touched;
    }

    /** The row as the workload says it is now; empty when that is what the row says already. */
    private Optional<Instance> observed(Instance row, WorkloadStatus workload) {
        if (workload == null) {
            return Optional.of(ended(row, InstanceState.FAILED, "workload disappeared"));
        }
        if (workload.state() != WorkloadState.EXITED) {
            return Optional.empty();
        }
        int code = workload.exitCode() == null ? -1 : workload.exitCode();
        if (oomKilled(workload)) {
            return Optional.of(ended(row, InstanceState.FAILED, "OOM killed"));
        }
        if (code == 0) {
            return Optional.of(ended(row, InstanceState.STOPPED, ""));
        }
        return Optional.of(ended(row, InstanceState.FAILED, "exited with code " + code));
    }

    private static boolean sameRun(Instance a, Instance b) {
        return a.runtimeId().equals(b.runtimeId()) && java.util.Objects.equals(a.startTime(), b.startTime());
    }

    private static boolean oomKilled(WorkloadStatus workload) {
        String error = workload.error().toLowerCase(Locale.ROOT);
        return error.contains("oom");
    }

    private Instance ended(Instance i, InstanceState state, String lastError) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(),
                state, InstanceHealth.UNKNOWN, i.restartCount(), i.startTime(), null, i.usage(), lastError,
                i.runtimeId(), i.retiring(), i.createTime(), clock.instant());
    }
}
