package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DeploymentStrategy;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.HealthCheck;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.Placement;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.ResourceRequirements;
import io.orchestry.provisioner.domain.RestartPolicy;
import io.orchestry.provisioner.domain.Revision;
import io.orchestry.provisioner.domain.RollingUpdate;
import io.orchestry.provisioner.domain.Runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small builders of domain records for tests: defaults everywhere, change what the test is about with the withers. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    private Fixtures() {
    }

    /** A READY, schedulable process node in region "local" with 4 cores and 8 GiB. */
    public static FleetNode node(String name) {
        return new FleetNode(name, DriverKind.PROCESS, "local", "127.0.0.1", "local", Map.of(),
                new ComputeResources(4000, 8 * GIB), FleetNode.Status.READY, FleetNode.Mode.SCHEDULABLE, null, false);
    }

    public static FleetNode node(String name, DriverKind kind, FleetNode.Status status) {
        FleetNode n = node(name);
        return new FleetNode(name, kind, kind == DriverKind.DOCKER ? "unix:///var/run/docker.sock" : "local",
                n.address(), n.region(), n.labels(), n.allocatable(), status, n.mode(), null, false);
    }

    /** A process app, 1 replica, one http port, no health check, 100m / 128 MiB requested. */
    public static AppSpec spec() {
        return new AppSpec(new Runtime.Process("/bin/sleep", List.of("1000"), ""), Map.of(),
                List.of(new PortSpec("http", 8080, PortProtocol.TCP)), 1,
                new ResourceRequirements(new ComputeResources(100, 128 * MIB), ComputeResources.ZERO), null,
                RestartPolicy.ALWAYS, Placement.ANYWHERE, DeploymentStrategy.ROLLING_UPDATE,
                new RollingUpdate(1, 0, Duration.ZERO, Duration.ofMinutes(10)));
    }

    public static AppSpec spec(HealthCheck healthCheck) {
        AppSpec s = spec();
        return new AppSpec(s.runtime(), s.env(), s.ports(), s.replicas(), s.resources(), healthCheck, s.restartPolicy(),
                s.placement(), s.deploymentStrategy(), s.rollingUpdate());
    }

    public static App app(String name, AppSpec spec) {
        return new App(name, "default", Map.of(), spec, 1, 1, false, false, null, T0, T0, 1, AppStatus.NEW);
    }

    public static Revision revision(String app, AppSpec spec) {
        return new Revision(app, 1, spec, T0);
    }

    /** Instance {@code orchestry-<app>-1-<n>} of revision 1 on the node, RUNNING since T0, health UNKNOWN. */
    public static Instance instance(String app, int n, String node) {
        return new Instance("orchestry-" + app + "-1-" + n, app, "default", 1, node, DriverKind.PROCESS, "127.0.0.1",
                List.of(new InstancePort("http", 20000 + n)), InstanceState.RUNNING, InstanceHealth.UNKNOWN, 0, T0,
                null, ComputeResources.ZERO, "", "fake-" + n, false, T0, T0);
    }

    public static Instance withState(Instance i, InstanceState state, InstanceHealth health) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(),
                state, health, i.restartCount(), i.startTime(), i.healthySince(), i.usage(), i.lastError(),
                i.runtimeId(), i.retiring(), i.createTime(), i.updateTime());
    }

    public static Instance withPorts(Instance i, String host, List<InstancePort> ports) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), host, ports,
                i.state(), i.health(), i.restartCount(), i.startTime(), i.healthySince(), i.usage(), i.lastError(),
                i.runtimeId(), i.retiring(), i.createTime(), i.updateTime());
    }

    public static Instance retiring(Instance i) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(),
                i.state(), i.health(), i.restartCount(), i.startTime(), i.healthySince(), i.usage(), i.lastError(),
                i.runtimeId(), true, i.createTime(), i.updateTime());
    }
}
