package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Condition;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.Deployment.DeploymentState;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.RestartPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.orchestry.provisioner.reconcile.Rows.T0;
import static io.orchestry.provisioner.reconcile.Rows.app;
import static io.orchestry.provisioner.reconcile.Rows.deployment;
import static io.orchestry.provisioner.reconcile.Rows.down;
import static io.orchestry.provisioner.reconcile.Rows.draining;
import static io.orchestry.provisioner.reconcile.Rows.node;
import static io.orchestry.provisioner.reconcile.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner as a table, in sample-controller's fixture style: desired (app, rollout) and observed (rows, nodes) at
 * {@code NOW} give exactly these steps, each written short: {@code place 2 r1}, {@code start <id>}, {@code restart <id>},
 * {@code retire <id>}, {@code stop <id>}, {@code forget <id>}, {@code deploy <STATE> <updated>/<desired>},
 * {@code rollback to <r>}, {@code remove}, {@code status <STATE> <ready>/<available>/<updated> r<current>},
 * {@code requeue <duration>}.
 */
class PlannerTest {
    static final Instant NOW = T0.plusSeconds(60);
    static final String R1 = "orchestry-web-1-";
    static final String R2 = "orchestry-web-2-";

    record Case(String name, App app, Optional<Deployment> deployment, List<Instance> rows, List<FleetNode> nodes,
                List<String> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, App app, Deployment deployment, List<Rows.Row> rows, List<FleetNode> nodes,
                    String... steps) {
        return new Case(name, app, Optional.ofNullable(deployment), rows.stream().map(Rows.Row::build).toList(), nodes,
                Arrays.asList(steps));
    }

    static List<FleetNode> nodes(String... names) {
        return Stream.of(names).map(Rows::node).toList();
    }

    static Stream<Case> cases() {
        Deployment pending12 = deployment(1, 2, DeploymentState.PENDING, null);
        Deployment rolling12 = deployment(1, 2, DeploymentState.IN_PROGRESS, T0);
        Deployment first = deployment(0, 1, DeploymentState.IN_PROGRESS, T0);
        App rev2 = app(3, 2);
        App rev2Deadline1m = Rows.rolling(app(3, 2), 1, 0, Duration.ZERO, Duration.ofSeconds(30));
        return Stream.of(
                c("create: every replica placed", app(3), null, List.of(), nodes("n1", "n2"),
                        "place 3 r1", "status PENDING 0/0/0 r0"),
                c("create of a first rollout: deployment starts", app(2), deployment(0, 1, DeploymentState.PENDING, null),
                        List.of(), nodes("n1"),
                        "deploy IN_PROGRESS 0/2", "place 2 r1", "status DEPLOYING 0/0/0 r0", "requeue PT10M"),
                c("scale up: the missing replicas placed", app(5), null,
                        List.of(row(1), row(2), row(3)), nodes("n1"),
                        "place 2 r1", "status RUNNING 3/3/3 r1"),
                c("scale down: from the fullest node, newest first", app(1), null,
                        List.of(row(1), row(2), row(3).on("n2")), nodes("n1", "n2"),
                        "retire " + R1 + "2", "stop " + R1 + "2", "retire " + R1 + "3", "stop " + R1 + "3",
                        "status RUNNING 1/1/1 r1", "requeue PT0S"),
                c("scale down: unhealthy first", app(2), null,
                        List.of(row(1).unhealthy(), row(2), row(3)), nodes("n1"),
                        "retire " + R1 + "1", "stop " + R1 + "1", "status RUNNING 2/2/2 r1", "requeue PT0S"),
                c("rollout step 1: one surge replica, nothing retired", rev2, pending12,
                        List.of(row(1), row(2), row(3)), nodes("n1"),
                        "deploy IN_PROGRESS 0/3", "place 1 r2", "status DEPLOYING 3/3/0 r1", "requeue PT10M"),
                c("rollout step 2: a healthy new replica lets one old go", rev2, rolling12,
                        List.of(row(1), row(2), row(3), row(4).rev(2)), nodes("n1"),
                        "deploy IN_PROGRESS 1/3", "retire " + R1 + "3", "stop " + R1 + "3",
                        "status DEPLOYING 3/3/1 r1", "requeue PT0S"),
                c("rollout step 3: the old one stopped, the next new one placed at once", rev2, rolling12,
                        List.of(row(1), row(2), row(4).rev(2)), nodes("n1"),
                        "deploy IN_PROGRESS 1/3", "place 1 r2", "status DEPLOYING 3/3/1 r1", "requeue PT9M"),
                c("rollout: a new replica that fails its probe lets nothing go", rev2, rolling12,
                        List.of(row(1), row(2), row(3), row(4).rev(2).unhealthy()), nodes("n1"),
                        "deploy IN_PROGRESS 1/3", "status DEPLOYING 3/3/1 r1", "requeue PT2S"),
                c("rollout: min ready not yet over, nothing goes", Rows.rolling(app(3, 2), 1, 0,
                                Duration.ofSeconds(30), Duration.ofMinutes(10)), rolling12,
                        List.of(row(1), row(2), row(3), row(4).rev(2).healthySince(NOW.minusSeconds(10))), nodes("n1"),
                        "deploy IN_PROGRESS 1/3", "status DEPLOYING 4/3/1 r1", "requeue PT20S"),
                c("rollout bounds: surge 2, unavailable 1 — two placed, one old goes at once",
                        Rows.rolling(app(4, 2), 2, 1, Duration.ZERO, Duration.ofMinutes(10)), rolling12,
                        List.of(row(1), row(2), row(3), row(4)), nodes("n1"),
                        "deploy IN_PROGRESS 0/4", "place 2 r2", "retire " + R1 + "4", "stop " + R1 + "4",
                        "status DEPLOYING 3/3/0 r1", "requeue PT0S"),
                c("rollout complete: deployment succeeds", rev2, rolling12,
                        List.of(row(4).rev(2), row(5).rev(2), row(6).rev(2)), nodes("n1"),
                        "deploy SUCCEEDED 3/3", "status RUNNING 3/3/3 r2"),
                c("progress deadline: rolled back to the revision it came from", rev2Deadline1m, rolling12,
                        List.of(row(1), row(2), row(3), row(4).rev(2).unhealthy()), nodes("n1"),
                        "rollback to 1", "status DEGRADED 3/3/1 r1", "requeue PT0S"),
                c("progress deadline of a first rollout: failed, degraded, no rollback",
                        Rows.rolling(app(1), 1, 0, Duration.ZERO, Duration.ofSeconds(30)), first,
                        List.of(row(1).unhealthy()), nodes("n1"),
                        "deploy FAILED 1/1", "status DEGRADED 0/0/1 r1", "requeue PT2S"),
                c("recreate: every old replica stops before a new one starts", Rows.recreate(app(2, 2)), rolling12,
                        List.of(row(1), row(2)), nodes("n1"),
                        "deploy IN_PROGRESS 0/2", "retire " + R1 + "1", "stop " + R1 + "1", "retire " + R1 + "2",
                        "stop " + R1 + "2", "status DEPLOYING 0/0/0 r0", "requeue PT0S"),
                c("recreate: old ones gone, the new ones placed", Rows.recreate(app(2, 2)), rolling12,
                        List.of(), nodes("n1"),
                        "deploy IN_PROGRESS 0/2", "place 2 r2", "status DEPLOYING 0/0/0 r0", "requeue PT9M"),
                c("restart: a failed replica past its backoff", app(1), null,
                        List.of(row(1).failed(0, T0)), nodes("n1"),
                        "restart " + R1 + "1", "status PENDING 0/0/1 r1", "requeue PT2S"),
                c("restart backoff: 3 restarts wait 8s, 2s gone", app(1), null,
                        List.of(row(1).failed(3, NOW.minusSeconds(2))), nodes("n1"),
                        "status PENDING 0/0/1 r1", "requeue PT6S"),
                c("restart backoff resets: after a run of 10 min or more, 8 restarts wait 1s again",
                        app(1), null, List.of(row(1).failed(8, NOW.minusSeconds(2))
                                .startedAt(NOW.minusSeconds(2).minus(Duration.ofMinutes(10)))), nodes("n1"),
                        "restart " + R1 + "1", "status PENDING 0/0/1 r1", "requeue PT2S"),
                c("restart backoff after a short run: 8 restarts wait 256s, 2s gone", app(1), null,
                        List.of(row(1).failed(8, NOW.minusSeconds(2)).startedAt(NOW.minusSeconds(600))), nodes("n1"),
                        "status PENDING 0/0/1 r1", "requeue PT4M14S"),
                c("restart policy never: a failed replica stays", Rows.restartPolicy(app(1), RestartPolicy.NEVER),
                        null, List.of(row(1).failed(0, T0)), nodes("n1"),
                        "status PENDING 0/0/1 r1"),
                c("stopped: everything stops", Rows.stopped(app(2)), null,
                        List.of(row(1), row(2)), nodes("n1"),
                        "retire " + R1 + "1", "stop " + R1 + "1", "retire " + R1 + "2", "stop " + R1 + "2",
                        "status STOPPED 0/0/0 r0", "requeue PT0S"),
                c("deleting with replicas: they stop first", Rows.deleting(app(1)), null,
                        List.of(row(1)), nodes("n1"),
                        "retire " + R1 + "1", "stop " + R1 + "1", "status DELETING 0/0/0 r0", "requeue PT0S"),
                c("deleting, nothing left: the app goes", Rows.deleting(app(1)), null,
                        List.of(), nodes("n1"),
                        "remove"),
                c("DOWN node: forgotten, placed elsewhere", app(2), null,
                        List.of(row(1), row(2).on("n2")), List.of(node("n1"), down("n2")),
                        "forget " + R1 + "2", "place 1 r1", "status RUNNING 1/1/1 r1"),
                c("vanished node: forgotten like a DOWN one", app(1), null,
                        List.of(row(1).on("gone")), nodes("n1"),
                        "forget " + R1 + "1", "place 1 r1", "status PENDING 0/0/0 r0"),
                c("draining node: a replacement surges elsewhere first", app(2), null,
                        List.of(row(1), row(2).on("n2")), List.of(node("n1"), draining("n2", NOW.plusSeconds(600))),
                        "place 1 r1", "status RUNNING 2/2/2 r1", "requeue PT10M"),
                c("draining node: the replacement is healthy, the old goes", app(2), null,
                        List.of(row(1), row(2).on("n2"), row(3)), List.of(node("n1"), draining("n2", NOW.plusSeconds(600))),
                        "retire " + R1 + "2", "stop " + R1 + "2", "status RUNNING 2/2/2 r1", "requeue PT0S"),
                c("draining node: an exited replica is not restarted there, it is replaced", app(1), null,
                        List.of(row(1).on("n2").failed(0, T0)),
                        List.of(node("n1"), draining("n2", NOW.plusSeconds(600))),
                        "place 1 r1", "status PENDING 0/0/1 r1", "requeue PT10M"),
                c("drain deadline passed: what remains stops", app(1), null,
                        List.of(row(1).on("n2")), List.of(node("n1"), draining("n2", NOW.minusSeconds(1))),
                        "place 1 r1", "retire " + R1 + "1", "stop " + R1 + "1", "status PENDING 0/0/0 r0", "requeue PT0S"),
                c("crash leftover: a PENDING row never started is started", app(1), null,
                        List.of(row(1).neverStarted()), nodes("n1"),
                        "start " + R1 + "1", "status PENDING 0/0/1 r1", "requeue PT2S"),
                c("crash leftover of an old revision: never started, stopped", rev2, rolling12,
                        List.of(row(1), row(2), row(3), row(4).neverStarted()), nodes("n1"),
                        "deploy IN_PROGRESS 0/3", "place 1 r2", "retire " + R1 + "4", "stop " + R1 + "4",
                        "status DEPLOYING 3/3/0 r1", "requeue PT0S"),
                c("duplicate ids: a row listed twice is one replica", app(1), null,
                        List.of(row(1), row(1)), nodes("n1"),
                        "status RUNNING 1/1/1 r1"),
                c("retiring row: stopped", app(1), null,
                        List.of(row(1), row(2).retiring()), nodes("n1"),
                        "stop " + R1 + "2", "status RUNNING 1/1/1 r1", "requeue PT0S"),
                c("restart of the app: replicas created before it are replaced one by one",
                        Rows.restartedAt(app(2), T0.plusSeconds(30)), null,
                        List.of(row(1), row(2)), nodes("n1"),
                        "place 1 r1", "status DEPLOYING 2/2/0 r1"),
                c("superseded rollout: marked so", app(1, 3), rolling12,
                        List.of(row(1).rev(3)), nodes("n1"),
                        "deploy SUPERSEDED 0/0", "status RUNNING 1/1/1 r3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plan_desiredAndObserved_exactSteps(Case c) {
        List<Step> steps = Planner.plan(new Desired(c.app(), c.deployment()), new Observed(c.rows(), c.nodes()), NOW);
        assertEquals(c.steps(), steps.stream().map(PlannerTest::render).toList(), c.name());
    }

    @Test
    void plan_statusAlreadyWritten_noSteps() {
        App app = app(2);
        Observed observed = new Observed(List.of(row(1).build(), row(2).build()), nodes("n1"));
        List<Step> first = Planner.plan(new Desired(app, Optional.empty()), observed, NOW);
        AppStatus written = ((Step.WriteStatus) first.get(0)).status();
        List<Step> again = Planner.plan(new Desired(app.withStatus(written), Optional.empty()), observed,
                NOW.plusSeconds(30));
        assertEquals(List.of(), again);
    }

    @Test
    void plan_conditionStatusUnchanged_keepsTransitionTime() {
        App app = app(2);
        Observed observed = new Observed(List.of(row(1).build(), row(2).build()), nodes("n1"));
        AppStatus first = ((Step.WriteStatus) Planner.plan(new Desired(app, Optional.empty()), observed, NOW).get(0))
                .status();
        Observed oneUnhealthy = new Observed(List.of(row(1).build(), row(2).unhealthy().build()), nodes("n1"));
        List<Step> later = Planner.plan(new Desired(app.withStatus(first), Optional.empty()), oneUnhealthy,
                NOW.plusSeconds(30));
        AppStatus second = later.stream().filter(s -> s instanceof Step.WriteStatus)
                .map(s -> ((Step.WriteStatus) s).status()).findFirst().orElseThrow();
        Condition available = condition(second, Condition.ConditionType.AVAILABLE);
        assertEquals(Condition.ConditionStatus.FALSE, available.status());
        assertEquals(NOW.plusSeconds(30), available.lastTransitionTime());
        Condition progressing = condition(second, Condition.ConditionType.PROGRESSING);
        assertEquals(NOW, progressing.lastTransitionTime(), "Progressing stayed True: its time is kept");
        assertEquals(app.generation(), second.observedGeneration());
    }

    @Test
    void plan_imageNotFoundAtThisGeneration_noRestartNoPlace() {
        App app = app(2);
        AppStatus blocked = Conditions.withDegraded(AppStatus.NEW, List.of(), Conditions.IMAGE_NOT_FOUND, "no image",
                T0);
        blocked = new AppStatus(app.generation(), blocked.state(), 2, 0, 0, 1, 0, blocked.conditions().stream()
                .map(c -> new Condition(c.type(), c.status(), c.reason(), c.message(), c.lastTransitionTime(),
                        app.generation())).toList());
        List<Step> steps = Planner.plan(new Desired(app.withStatus(blocked), Optional.empty()),
                new Observed(List.of(row(1).failed(0, T0).build()), nodes("n1")), NOW);
        assertTrue(steps.stream().noneMatch(s -> s instanceof Step.Place || s instanceof Step.Restart), steps.toString());
        assertEquals(List.of("status DEGRADED 0/0/1 r1"), steps.stream().map(PlannerTest::render).toList());
    }

    @Test
    void restartDelay_doublesFromOneSecond_cappedAtFiveMinutes() {
        assertEquals(Duration.ofSeconds(1), Planner.restartDelay(0));
        assertEquals(Duration.ofSeconds(8), Planner.restartDelay(3));
        assertEquals(Duration.ofMinutes(5), Planner.restartDelay(40));
    }

    private static Condition condition(AppStatus status, Condition.ConditionType type) {
        return status.conditions().stream().filter(c -> c.type() == type).findFirst().orElseThrow();
    }

    static String render(Step step) {
        if (step instanceof Step.Place p) {
            return "place " + p.count() + " r" + p.revision();
        } else if (step instanceof Step.Start s) {
            return "start " + s.instanceId();
        } else if (step instanceof Step.Restart s) {
            return "restart " + s.instanceId();
        } else if (step instanceof Step.Retire s) {
            return "retire " + s.instanceId();
        } else if (step instanceof Step.Stop s) {
            return "stop " + s.instanceId();
        } else if (step instanceof Step.Forget s) {
            return "forget " + s.instanceId();
        } else if (step instanceof Step.AdvanceDeployment d) {
            return "deploy " + d.deployment().state() + " " + d.deployment().updatedReplicas() + "/"
                    + d.deployment().desiredReplicas();
        } else if (step instanceof Step.RollBack r) {
            return "rollback to " + r.toRevision();
        } else if (step instanceof Step.RemoveApp) {
            return "remove";
        } else if (step instanceof Step.WriteStatus w) {
            AppStatus s = w.status();
            return "status " + s.state() + " " + s.readyReplicas() + "/" + s.availableReplicas() + "/"
                    + s.updatedReplicas() + " r" + s.currentRevision();
        } else if (step instanceof Step.Requeue r) {
            return "requeue " + r.after();
        }
        throw new IllegalArgumentException(step.toString());
    }
}
