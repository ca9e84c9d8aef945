package io.orchestry.bench;

import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.AppState;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.InstanceHealth;
import io.orchestry.provisioner.v1.InstanceState;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One look at a project's apps as the provisioner reports them (apps, instances) and as the machine has them
 * (processes from {@code /proc}), and how it compares with an earlier look: same runtime ids (adopted), no duplicate.
 *
 * @param apps      by name
 * @param instances by app
 * @param processes pid → app
 */
record ReconcileState(Map<String, App> apps, Map<String, List<Instance>> instances, Map<Long, String> processes) {

    static ReconcileState of(ControlPlane plane, String project) {
        Map<String, App> apps = new HashMap<>();
        plane.apps(project).forEach(a -> apps.put(a.getName(), a));
        Map<String, List<Instance>> instances = new HashMap<>();
        for (Instance i : plane.instances(project, "")) {
            instances.computeIfAbsent(i.getApp(), k -> new java.util.ArrayList<>()).add(i);
        }
        return new ReconcileState(apps, instances, WorkloadProcesses.of(project));
    }

    /** Every app has one instance, RUNNING and healthy, and one process. */
    boolean allRunning(int expected) {
        return apps.size() == expected && processes.size() == expected && runningInstances() == expected;
    }

    long runningInstances() {
        return instances.values().stream().filter(l -> l.size() == 1).map(l -> l.get(0))
                .filter(i -> i.getState() == InstanceState.INSTANCE_STATE_RUNNING
                        && i.getHealth() == InstanceHealth.INSTANCE_HEALTH_HEALTHY).count();
    }

    /** Every app's status says RUNNING with its replica ready, for the generation it has. */
    long appsUpToDate() {
        return apps.values().stream().filter(a -> a.getStatus().getState() == AppState.APP_STATE_RUNNING
                && a.getStatus().getReadyReplicas() == a.getSpec().getReplicas()
                && a.getStatus().getObservedGeneration() == a.getGeneration()).count();
    }

    /** Instances and processes beyond one per app. */
    long duplicates() {
        long extraInstances = instances.values().stream().mapToLong(l -> Math.max(0, l.size() - 1)).sum();
        Map<String, Integer> perApp = new HashMap<>();
        processes.values().forEach(app -> perApp.merge(app, 1, Integer::sum));
        long extraProcesses = perApp.values().stream().mapToLong(n -> Math.max(0, n - 1)).sum();
        return extraInstances + extraProcesses;
    }

    /** Instances of {@code before} whose runtime id or restart count changed here, or that are gone. */
    long restartedSince(ReconcileState before) {
        Map<String, Instance> now = byId();
        long changed = 0;
        for (Instance was : before.byId().values()) {
            Instance is = now.get(was.getId());
            if (is == null || !Objects.equals(is.getRuntimeId(), was.getRuntimeId()) || is.getRestartCount() != was.getRestartCount()) {
                changed++;
            }
        }
        return changed;
    }

    /** Up to {@code n} instances of {@code before} that were not adopted: id, runtime id and restarts then and now, last error. */
    String restartedExamples(ReconcileState before, int n) {
        Map<String, Instance> now = byId();
        StringBuilder text = new StringBuilder();
        before.byId().values().stream().filter(was -> {
            Instance is = now.get(was.getId());
            return is == null || !Objects.equals(is.getRuntimeId(), was.getRuntimeId()) || is.getRestartCount() != was.getRestartCount();
        }).limit(n).forEach(was -> {
            Instance is = now.get(was.getId());
            text.append(String.format(java.util.Locale.ROOT, "%n    %s pid %s (restarts %d) -> %s", was.getId(), was.getRuntimeId(),
                    was.getRestartCount(), is == null ? "gone" : "pid " + is.getRuntimeId() + " (restarts " + is.getRestartCount()
                            + ", last error '" + is.getLastError() + "')"));
        });
        return text.toString();
    }

    /** Every instance of {@code before} is here, RUNNING and healthy with the same runtime id, and its pid is alive. */
    boolean adoptedFrom(ReconcileState before, int expected) {
        return allRunning(expected) && restartedSince(before) == 0 && duplicates() == 0
                && before.processes.keySet().equals(processes.keySet());
    }

    private Map<String, Instance> byId() {
        Map<String, Instance> byId = new HashMap<>();
        instances.values().forEach(l -> l.forEach(i -> byId.put(i.getId(), i)));
        return byId;
    }

    String describe(int expected) {
        return String.format(java.util.Locale.ROOT, "%d apps (%d up to date), %d of %d instances running+healthy, %d processes, %d duplicates",
                apps.size(), appsUpToDate(), runningInstances(), expected, processes.size(), duplicates());
    }
}
