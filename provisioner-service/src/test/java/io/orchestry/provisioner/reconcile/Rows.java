package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.DeploymentStrategy;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.RestartPolicy;
import io.orchestry.provisioner.domain.RollingUpdate;
import io.orchestry.provisioner.fakes.Fixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders of the planner's inputs for the reconcile tests: an app "web", its rows, its nodes, its rollouts. */
final class Rows {
    static final Instant T0 = Fixtures.T0;

    private Rows() {
    }

    /** App "web" at revision {@code revision}, generation = revision, the spec's other fields as in {@link Fixtures#spec()}. */
    static App app(int replicas, long revision) {
        return new App("web", "default", Map.of(), Fixtures.spec().withReplicas(replicas), revision, revision, false,
                false, null, T0, T0, 1, AppStatus.NEW);
    }

    static App app(int replicas) {
        return app(replicas, 1);
    }

    static App withSpec(App a, AppSpec spec) {
        return new App(a.name(), a.project(), a.labels(), spec, a.generation(), a.revision(), a.stopped(), a.deleting(),
                a.restartedAt(), a.createTime(), a.updateTime(), a.version(), a.status());
    }

    static App rolling(App a, int surge, int unavailable, Duration minReady, Duration deadline) {
        AppSpec s = a.spec();
        return withSpec(a, new AppSpec(s.runtime(), s.env(), s.ports(), s.replicas(), s.resources(), s.healthCheck(),
                s.restartPolicy(), s.placement(), s.deploymentStrategy(),
                new RollingUpdate(surge, unavailable, minReady, deadline)));
    }

    static App recreate(App a) {
        AppSpec s = a.spec();
        return withSpec(a, new AppSpec(s.runtime(), s.env(), s.ports(), s.replicas(), s.resources(), s.healthCheck(),
                s.restartPolicy(), s.placement(), DeploymentStrategy.RECREATE, s.rollingUpdate()));
    }

    static App restartPolicy(App a, RestartPolicy policy) {
        AppSpec s = a.spec();
        return withSpec(a, new AppSpec(s.runtime(), s.env(), s.ports(), s.replicas(), s.resources(), s.healthCheck(),
                policy, s.placement(), s.deploymentStrategy(), s.rollingUpdate()));
    }

    static App stopped(App a) {
        return new App(a.name(), a.project(), a.labels(), a.spec(), a.generation(), a.revision(), true, a.deleting(),
                a.restartedAt(), a.createTime(), a.updateTime(), a.version(), a.status());
    }

    static App deleting(App a) {
        return new App(a.name(), a.project(), a.labels(), a.spec(), a.generation(), a.revision(), a.stopped(), true,
                a.restartedAt(), a.createTime(), a.updateTime(), a.version(), a.status());
    }

    static App restartedAt(App a, Instant at) {
        return new App(a.name(), a.project(), a.labels(), a.spec(), a.generation(), a.revision(), a.stopped(),
                a.deleting(), at, a.createTime(), a.updateTime(), a.version(), a.status());
    }

    static Deployment deployment(long from, long to, Deployment.DeploymentState state, Instant start) {
        return new Deployment("d-" + to, "web", "default", from, to, state, DeploymentStrategy.ROLLING_UPDATE,
                from == 0 ? Deployment.DeploymentTrigger.CREATE : Deployment.DeploymentTrigger.UPDATE, "", 0, 0, T0,
                start, null);
    }

    static FleetNode node(String name) {
        return Fixtures.node(name);
    }

    static FleetNode down(String name) {
        return Fixtures.node(name, DriverKind.PROCESS, FleetNode.Status.DOWN);
    }

    static FleetNode draining(String name, Instant deadline) {
        FleetNode n = Fixtures.node(name);
        return new FleetNode(n.name(), n.driverKind(), n.endpoint(), n.address(), n.region(), n.labels(),
                n.allocatable(), n.status(), FleetNode.Mode.DRAINING, deadline, false);
    }

    static Row row(int n) {
        return new Row(n);
    }

    /** One instance row, healthy and running on n1 at revision 1 unless told otherwise; created at T0 + n seconds. */
    static final class Row {
        private final int n;
        private long revision = 1;
        private String node = "n1";
        private InstanceState state = InstanceState.RUNNING;
        private InstanceHealth health = InstanceHealth.HEALTHY;
        private Instant healthySince = T0;
        private int restarts;
        private Instant updated;
        private String runtimeId;
        private boolean retiring;
        private Instant started = T0;

        private Row(int n) {
            this.n = n;
            this.updated = T0.plusSeconds(n);
            this.runtimeId = "fake-" + n;
        }

        Row rev(long r) {
            revision = r;
            return this;
        }

        Row on(String nodeName) {
            node = nodeName;
            return this;
        }

        Row starting() {
            state = InstanceState.STARTING;
            health = InstanceHealth.UNKNOWN;
            healthySince = null;
            return this;
        }

        Row unhealthy() {
            health = InstanceHealth.UNHEALTHY;
            healthySince = null;
            return this;
        }

        Row healthySince(Instant at) {
            healthySince = at;
            return this;
        }

        Row failed(int restartCount, Instant at) {
            state = InstanceState.FAILED;
            health = InstanceHealth.UNKNOWN;
            healthySince = null;
            restarts = restartCount;
            updated = at;
            return this;
        }

        /** Started at this time (T0 unless told). */
        Row startedAt(Instant at) {
            started = at;
            return this;
        }

        Row neverStarted() {
            state = InstanceState.PENDING;
            health = InstanceHealth.UNKNOWN;
            healthySince = null;
            runtimeId = "";
            return this;
        }

        Row retiring() {
            retiring = true;
            return this;
        }

        Instance build() {
            return new Instance("orchestry-web-" + revision + "-" + n, "web", "default", revision, node,
                    DriverKind.PROCESS, runtimeId.isEmpty() ? "" : "127.0.0.1",
                    runtimeId.isEmpty() ? List.of() : List.of(new InstancePort("http", 20000 + n)), state, health,
                    restarts, runtimeId.isEmpty() ? null : started, healthySince, ComputeResources.ZERO, "", runtimeId,
                    retiring, T0.plusSeconds(n), updated);
        }
    }
}
