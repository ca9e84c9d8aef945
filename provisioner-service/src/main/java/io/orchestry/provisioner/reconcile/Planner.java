package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.DeploymentStrategy;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.RestartPolicy;
import io.orchestry.provisioner.domain.RollingUpdate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code plan(desired, observed, now) -> steps}: what to do to one app now, after Kubernetes' deployment controller.
 * Pure: no I/O, no clock but {@code now}; the same inputs always give the same steps, so it is tested as a table.
 */
public final class Planner {
    /** The first restart of a replica that exited waits this long, doubling per restart up to {@link #RESTART_MAX}. */
    static final Duration RESTART_BASE = Duration.ofSeconds(1);
    static final Duration RESTART_MAX = Duration.ofMinutes(5);
    /** A replica that ran this long before it exited restarts after {@link #RESTART_BASE} again (Kubernetes: 10 min). */
    static final Duration RESTART_RESET = Duration.ofMinutes(10);
    /** How soon to look again while replicas are starting or going (their rows change without an app event). */
    public static final Duration SETTLE = Duration.ofSeconds(2);

    private Planner() {
    }

    public static List<Step> plan(Desired desired, Observed observed, Instant now) {
        return new Plan(desired, observed, now).build();
    }

    /** The exponential restart backoff after {@code restarts} restarts. */
    static Duration restartDelay(int restarts) {
        int shift = Math.min(Math.max(restarts, 0), 20);
        Duration delay = RESTART_BASE.multipliedBy(1L << shift);
        return delay.compareTo(RESTART_MAX) > 0 ? RESTART_MAX : delay;
    }

    /**
     * The backoff of an exited replica: {@link #RESTART_BASE} when its last run lasted {@link #RESTART_RESET} or more
     * (from its start time to the update that recorded the exit), else by its restarts. Its restart count stays
     * cumulative (it is what users see); only the delay starts over.
     */
    static Duration restartDelay(Instance exited) {
        Instant started = exited.startTime();
        if (started != null && Duration.between(started, exited.updateTime()).compareTo(RESTART_RESET) >= 0) {
            return RESTART_BASE;
        }
        return restartDelay(exited.restartCount());
    }

    /** One planning pass; collects steps and the earliest time to look again. */
    private static final class Plan {
        private final App app;
        private final Optional<Deployment> deployment;
        private final Map<String, FleetNode> nodes;
        private final Instant now;
        private final List<Instance> rows;
        private final List<Step> steps = new ArrayList<>();
        private final List<Step> retirements = new ArrayList<>();
        private Step.Requeue requeue;

        Plan(Desired desired, Observed observed, Instant now) {
            this.app = desired.app();
            this.deployment = desired.deployment();
            this.nodes = observed.nodes().stream()
                    .collect(Collectors.toMap(FleetNode::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
            this.now = now;
            Map<String, Instance> byId = new LinkedHashMap<>(); // a row listed twice is one row
            observed.instances().stream()
                    .sorted(Comparator.comparing(Instance::createTime).thenComparing(Instance::id))
                    .forEach(i -> byId.putIfAbsent(i.id(), i));
            this.rows = List.copyOf(byId.values());
        }

        List<Step> build() {
            List<Replica> pool = new ArrayList<>();
            for (Instance row : rows) {
                FleetNode node = nodes.get(row.nodeName());
                if (node == null || node.status() == FleetNode.Status.DOWN) {
                    steps.add(new Step.Forget(row.id()));
                } else if (row.retiring()) {
                    steps.add(new Step.Stop(row.id()));
                } else {
                    pool.add(Replica.of(row, app, node, now));
                }
            }
            if (app.deleting() || app.stopped()) {
                return stopAll(pool);
            }
            boolean blocked = Conditions.blocked(app.status(), app.generation());
            List<Replica> fresh = new ArrayList<>();
            List<Replica> stale = new ArrayList<>();
            for (Replica replica : pool) {
                if (!keepAfterChecks(replica, blocked)) {
                    continue;
                }
                (replica.wanted() ? fresh : stale).add(replica);
            }
            StatusPlanner.Progress progress = StatusPlanner.Progress.NONE;
            String progressMessage = "";
            StatusPlanner.Finding finding = null;
            if (deployment.isPresent()) {
                Deployment d = deployment.get();
                DeploymentCheck check = DeploymentCheck.of(d, app, fresh, stale, now);
                if (check.advanced() != null) {
                    steps.add(new Step.AdvanceDeployment(check.advanced()));
                }
                if (check.rollBackTo() > 0) {
                    steps.add(new Step.RollBack(d, check.rollBackTo(), check.message()));
                    writeStatus(tally(fresh, stale), StatusPlanner.Progress.DEADLINE_EXCEEDED, check.message(),
                            new StatusPlanner.Finding(Conditions.PROGRESS_DEADLINE_EXCEEDED, check.message()));
                    steps.add(new Step.Requeue(Duration.ZERO, "rolled back"));
                    return steps;
                }
                progress = check.progress();
                progressMessage = check.message();
                if (progress == StatusPlanner.Progress.DEADLINE_EXCEEDED) {
                    finding = new StatusPlanner.Finding(Conditions.PROGRESS_DEADLINE_EXCEEDED, check.message());
                }
                check.due().ifPresent(at -> requeueAt(at, "progress deadline"));
            }
            moveReplicas(fresh, stale, blocked);
            steps.addAll(retirements);
            List<String> going = goingIds();
            for (Replica r : pool) {
                if (going.contains(r.id())) {
                    continue;
                }
                if (r.availableAt() != null && r.availableAt().isAfter(now)) {
                    requeueAt(r.availableAt(), "min ready");
                } else if (!r.exited() && !r.ready() && !r.neverStarted()) {
                    requeueAfter(SETTLE, "replicas starting");
                }
            }
            if (steps.stream().anyMatch(s -> s instanceof Step.Start || s instanceof Step.Restart)) {
                requeueAfter(SETTLE, "replicas starting"); // their health changes without an app event
            } // after a Place the executor requeues, once it knows a replica was started at all
            if (steps.stream().anyMatch(s -> s instanceof Step.Stop)) {
                // a stop returns once the replica is gone, and nothing else tells the app: the next step of a
                // rollout or drain is planned at once, not at the next resync
                requeueAfter(Duration.ZERO, "replicas stopped");
            }
            writeStatus(tally(fresh, stale), progress, progressMessage, finding);
            if (requeue != null) {
                steps.add(requeue);
            }
            return steps;
        }

        /** Stopped or deleting: everything goes; a deleting app of which nothing is left is removed. */
        private List<Step> stopAll(List<Replica> pool) {
            for (Replica r : pool) {
                retire(r, app.deleting() ? "app deleted" : "app stopped");
            }
            steps.addAll(retirements);
            if (app.deleting() && rows.isEmpty()) {
                steps.add(new Step.RemoveApp());
                return steps;
            }
            writeStatus(new StatusPlanner.Tally(0, 0, 0, false, app.status().currentRevision()),
                    StatusPlanner.Progress.NONE, "", null);
            if (!rows.isEmpty()) {
                steps.add(new Step.Requeue(Duration.ZERO, "replicas stopping"));
            }
            return steps;
        }

        /**
         * Crash leftovers, exits and drain deadlines: true when the replica stays in the pool the rollout counts. A
         * replica that exited is restarted per the policy (after its backoff), one never started is started.
         */
        private boolean keepAfterChecks(Replica r, boolean blocked) {
            Instance row = r.instance();
            FleetNode node = nodes.get(row.nodeName());
            if (r.draining() && node.drainDeadline() != null) {
                if (!now.isBefore(node.drainDeadline())) {
                    retire(r, "drain deadline of node " + node.name() + " passed");
                    return false;
                }
                requeueAt(node.drainDeadline(), "drain deadline");
            }
            if (!r.current() && (r.exited() || r.neverStarted())) {
                retire(r, "revision " + row.revision() + " is outdated");
                return false;
            }
            if (blocked || r.draining()) {
                return true; // nothing new starts from a spec that cannot, nor on a node being emptied
            }
            if (r.neverStarted()) {
                steps.add(new Step.Start(row.id()));
            } else if (r.exited() && restarts(row)) {
                Instant due = row.updateTime().plus(restartDelay(row));
                if (now.isBefore(due)) {
                    requeueAt(due, "restart backoff");
                } else {
                    steps.add(new Step.Restart(row.id()));
                }
            }
            return true;
        }

        private boolean restarts(Instance row) {
            RestartPolicy policy = app.spec().restartPolicy();
            return policy == RestartPolicy.ALWAYS
                    || (policy == RestartPolicy.ON_FAILURE && row.state() == InstanceState.FAILED);
        }

        private void moveReplicas(List<Replica> fresh, List<Replica> stale, boolean blocked) {
            int desired = app.spec().replicas();
            RollingUpdate ru = app.spec().rollingUpdate();
            boolean staleRevision = stale.stream().anyMatch(r -> !r.current());
            if (app.spec().deploymentStrategy() == DeploymentStrategy.RECREATE && staleRevision) {
                stale.stream().filter(r -> !r.current()).forEach(r -> retire(r, "recreate: revision "
                        + r.instance().revision() + " stops before " + app.revision() + " starts"));
                requeueAfter(Duration.ZERO, "recreate");
                return;
            }
            Rollout.Moves moves = Rollout.plan(fresh, stale, desired, ru.maxSurge(), ru.maxUnavailable(), now);
            for (Replica r : moves.retire()) {
                retire(r, reason(r, desired, fresh));
            }
            if (moves.place() > 0 && !blocked) {
                steps.add(new Step.Place(moves.place(), app.revision()));
            }
        }

        private String reason(Replica r, int desired, List<Replica> fresh) {
            if (!r.current()) {
                return "revision " + r.instance().revision() + " replaced by " + app.revision();
            }
            if (r.draining()) {
                return "node " + r.instance().nodeName() + " is draining";
            }
            return "scaled down to " + desired + " from " + fresh.size();
        }

        private void retire(Replica r, String reason) {
            retirements.add(new Step.Retire(r.id(), reason));
            retirements.add(new Step.Stop(r.id()));
        }

        private StatusPlanner.Tally tally(List<Replica> fresh, List<Replica> stale) {
            List<String> going = goingIds();
            List<Replica> staying = new ArrayList<>();
            fresh.stream().filter(r -> !going.contains(r.id())).forEach(staying::add);
            stale.stream().filter(r -> !going.contains(r.id())).forEach(staying::add);
            int ready = (int) staying.stream().filter(Replica::ready).count();
            int available = (int) staying.stream().filter(r -> r.available(now)).count();
            int updated = (int) staying.stream().filter(Replica::current).count();
            boolean staleRevisions = staying.stream().anyMatch(r -> !r.current());
            long currentRevision = staleRevisions || updated == 0
                    ? staying.stream().filter(r -> !r.current()).map(r -> r.instance().revision())
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                    .entrySet().stream().max(Map.Entry.<Long, Long>comparingByValue()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).orElse(app.status().currentRevision())
                    : app.revision();
            return new StatusPlanner.Tally(ready, available, updated, staleRevisions, currentRevision);
        }

        private List<String> goingIds() {
            return retirements.stream()
                    .filter(s -> s instanceof Step.Retire).map(s -> ((Step.Retire) s).instanceId()).toList();
        }

        private void writeStatus(StatusPlanner.Tally tally, StatusPlanner.Progress progress, String message,
                                 StatusPlanner.Finding finding) {
            AppStatus status = StatusPlanner.status(app, tally, progress, message, finding, now);
            if (!status.equals(app.status())) {
                steps.add(new Step.WriteStatus(status));
            }
        }

        private void requeueAt(Instant at, String why) {
            requeueAfter(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO, why);
        }

        private void requeueAfter(Duration after, String why) {
            if (requeue == null || after.compareTo(requeue.after()) < 0) {
                requeue = new Step.Requeue(after, why);
            }
        }
    }
}
