package io.orchestry.provisioner.grpc;

import io.orchestry.error.Violations;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.AppState;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Condition;
import io.orchestry.provisioner.domain.DeploymentStrategy;
import io.orchestry.provisioner.domain.HealthCheck;
import io.orchestry.provisioner.domain.ImagePullPolicy;
import io.orchestry.provisioner.domain.Placement;
import io.orchestry.provisioner.domain.PlacementStrategy;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.ResourceRequirements;
import io.orchestry.provisioner.domain.RestartPolicy;
import io.orchestry.provisioner.domain.RollingUpdate;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.v1.ContainerSpec;
import io.orchestry.provisioner.v1.ProcessSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Apps between the v1 contract and the domain. Proto to domain fills every default (restart ALWAYS, rolling update with
 * 25% surge rounded up (at least 1) and 25% unavailable rounded down, min ready 0, progress deadline 10 min; health
 * check every 10 s, timeout 1 s, 3 failures, no initial delay; never pull; spread; TCP); an enum value this server does
 * not know is an invalid field.
 */
final class AppProtoMapper {
    static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(10);
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(10);
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);
    static final int HEALTH_FAILURES = 3;

    private AppProtoMapper() {
    }

    static AppSpec toDomain(io.orchestry.provisioner.v1.AppSpec p) {
        Violations v = new Violations();
        Runtime runtime = switch (p.getRuntimeCase()) {
            case PROCESS -> new Runtime.Process(p.getProcess().getCommand(), p.getProcess().getArgsList(), p.getProcess().getWorkingDir());
            case CONTAINER -> new Runtime.Container(p.getContainer().getImage(), p.getContainer().getCommand(),
                    p.getContainer().getArgsList(), pullPolicy(v, p.getContainer()));
            case RUNTIME_NOT_SET -> null;
        };
        List<PortSpec> ports = new ArrayList<>();
        for (int i = 0; i < p.getPortsCount(); i++) {
            var port = p.getPorts(i);
            PortProtocol protocol = switch (port.getProtocol()) {
                case PORT_PROTOCOL_UNSPECIFIED, PORT_PROTOCOL_TCP -> PortProtocol.TCP;
                case PORT_PROTOCOL_UDP -> PortProtocol.UDP;
                default -> null;
            };
            ports.add(new PortSpec(port.getName(), port.getContainerPort(), protocol));
        }
        RestartPolicy restart = switch (p.getRestartPolicy()) {
            case RESTART_POLICY_UNSPECIFIED, RESTART_POLICY_ALWAYS -> RestartPolicy.ALWAYS;
            case RESTART_POLICY_ON_FAILURE -> RestartPolicy.ON_FAILURE;
            case RESTART_POLICY_NEVER -> RestartPolicy.NEVER;
            default -> unknown(v, "spec.restartPolicy", RestartPolicy.ALWAYS);
        };
        DeploymentStrategy strategy = switch (p.getDeploymentStrategy()) {
            case DEPLOYMENT_STRATEGY_UNSPECIFIED, DEPLOYMENT_STRATEGY_ROLLING_UPDATE -> DeploymentStrategy.ROLLING_UPDATE;
            case DEPLOYMENT_STRATEGY_RECREATE -> DeploymentStrategy.RECREATE;
            default -> unknown(v, "spec.deploymentStrategy", DeploymentStrategy.ROLLING_UPDATE);
        };
        PlacementStrategy placement = switch (p.getPlacement().getStrategy()) {
            case PLACEMENT_STRATEGY_UNSPECIFIED, PLACEMENT_STRATEGY_SPREAD -> PlacementStrategy.SPREAD;
            case PLACEMENT_STRATEGY_BINPACK -> PlacementStrategy.BINPACK;
            default -> unknown(v, "spec.placement.strategy", PlacementStrategy.SPREAD);
        };
        v.throwIfAny();
        var r = p.getResources();
        return new AppSpec(runtime, p.getEnvMap(), ports, p.getReplicas(),
                new ResourceRequirements(compute(r.getRequests()), compute(r.getLimits())),
                p.hasHealthCheck() ? healthCheck(p.getHealthCheck()) : null, restart,
                new Placement(p.getPlacement().getNodeLabelSelector(), p.getPlacement().getRegionsList(), placement),
                strategy, rollingUpdate(p));
    }

    private static RollingUpdate rollingUpdate(io.orchestry.provisioner.v1.AppSpec p) {
        if (!p.hasRollingUpdate()) {
            int replicas = Math.max(0, p.getReplicas());
            return new RollingUpdate(Math.max(1, (replicas + 3) / 4), replicas / 4, Duration.ZERO, PROGRESS_DEADLINE);
        }
        var r = p.getRollingUpdate();
        int replicas = Math.max(0, p.getReplicas());
        // both 0 cannot roll anything: a body that names only the timing ({"progressDeadline": "PT30S"}) means the
        // default bounds
        boolean bounds = r.getMaxSurge() != 0 || r.getMaxUnavailable() != 0;
        return new RollingUpdate(bounds ? r.getMaxSurge() : Math.max(1, (replicas + 3) / 4),
                bounds ? r.getMaxUnavailable() : replicas / 4,
                r.hasMinReady() ? ProtoTime.toJava(r.getMinReady()) : Duration.ZERO,
                r.hasProgressDeadline() ? ProtoTime.toJava(r.getProgressDeadline()) : PROGRESS_DEADLINE);
    }

    private static HealthCheck healthCheck(io.orchestry.provisioner.v1.HealthCheck h) {
        HealthCheck.Probe probe = switch (h.getProbeCase()) {
            case HTTP -> new HealthCheck.Http(h.getHttp().getPath(), h.getHttp().getPortName());
            case TCP -> new HealthCheck.Tcp(h.getTcp().getPortName());
            case EXEC -> new HealthCheck.Exec(h.getExec().getCommand(), h.getExec().getArgsList());
            case PROBE_NOT_SET -> null;
        };
        return new HealthCheck(probe,
                h.hasInterval() ? ProtoTime.toJava(h.getInterval()) : HEALTH_INTERVAL,
                h.hasTimeout() ? ProtoTime.toJava(h.getTimeout()) : HEALTH_TIMEOUT,
                h.getFailureThreshold() == 0 ? HEALTH_FAILURES : h.getFailureThreshold(),
                h.hasInitialDelay() ? ProtoTime.toJava(h.getInitialDelay()) : Duration.ZERO);
    }

    private static ImagePullPolicy pullPolicy(Violations v, ContainerSpec c) {
        return switch (c.getPullPolicy()) {
            case IMAGE_PULL_POLICY_UNSPECIFIED, IMAGE_PULL_POLICY_NEVER -> ImagePullPolicy.NEVER;
            case IMAGE_PULL_POLICY_IF_NOT_PRESENT -> ImagePullPolicy.IF_NOT_PRESENT;
            case IMAGE_PULL_POLICY_ALWAYS -> ImagePullPolicy.ALWAYS;
            default -> unknown(v, "spec.container.pullPolicy", ImagePullPolicy.NEVER);
        };
    }

    private static <T> T unknown(Violations v, String field, T fallback) {
        v.add(field, "not a value this server knows");
        return fallback;
    }

    static ComputeResources compute(io.orchestry.provisioner.v1.ComputeResources c) {
        return new ComputeResources(c.getCpuMillis(), c.getMemoryBytes());
    }

    static io.orchestry.provisioner.v1.ComputeResources toProto(ComputeResources c) {
        return io.orchestry.provisioner.v1.ComputeResources.newBuilder().setCpuMillis(c.cpuMillis()).setMemoryBytes(c.memoryBytes()).build();
    }

    static io.orchestry.provisioner.v1.App toProto(App app) {
        var b = io.orchestry.provisioner.v1.App.newBuilder()
                .setName(app.name()).setProject(app.project()).putAllLabels(app.labels())
                .setSpec(toProto(app.spec())).setStatus(toProto(app.status()))
                .setGeneration(app.generation()).setRevision(app.revision()).setStopped(app.stopped())
                .setCreateTime(ProtoTime.toTimestamp(app.createTime())).setUpdateTime(ProtoTime.toTimestamp(app.updateTime()))
                .setVersion(app.version());
        return b.build();
    }

    static io.orchestry.provisioner.v1.AppSpec toProto(AppSpec s) {
        var b = io.orchestry.provisioner.v1.AppSpec.newBuilder();
        if (s.runtime() instanceof Runtime.Process p) {
            b.setProcess(ProcessSpec.newBuilder().setCommand(p.command()).addAllArgs(p.args()).setWorkingDir(p.workingDir()));
        } else if (s.runtime() instanceof Runtime.Container c) {
            b.setContainer(ContainerSpec.newBuilder().setImage(c.image()).setCommand(c.command()).addAllArgs(c.args())
                    .setPullPolicy(io.orchestry.provisioner.v1.ImagePullPolicy.valueOf("IMAGE_PULL_POLICY_" + c.pullPolicy().name())));
        }
        b.putAllEnv(s.env());
        for (PortSpec port : s.ports()) {
            b.addPorts(io.orchestry.provisioner.v1.PortSpec.newBuilder().setName(port.name()).setContainerPort(port.containerPort())
                    .setProtocol(io.orchestry.provisioner.v1.PortProtocol.valueOf("PORT_PROTOCOL_" + port.protocol().name())));
        }
        b.setReplicas(s.replicas());
        b.setResources(io.orchestry.provisioner.v1.ResourceRequirements.newBuilder()
                .setRequests(toProto(s.resources().requests())).setLimits(toProto(s.resources().limits())));
        if (s.healthCheck() != null) {
            b.setHealthCheck(toProto(s.healthCheck()));
        }
        b.setRestartPolicy(io.orchestry.provisioner.v1.RestartPolicy.valueOf("RESTART_POLICY_" + s.restartPolicy().name()));
        b.setPlacement(io.orchestry.provisioner.v1.Placement.newBuilder().setNodeLabelSelector(s.placement().nodeLabelSelector())
                .addAllRegions(s.placement().regions())
                .setStrategy(io.orchestry.provisioner.v1.PlacementStrategy.valueOf("PLACEMENT_STRATEGY_" + s.placement().strategy().name())));
        b.setDeploymentStrategy(io.orchestry.provisioner.v1.DeploymentStrategy.valueOf("DEPLOYMENT_STRATEGY_" + s.deploymentStrategy().name()));
        RollingUpdate r = s.rollingUpdate();
        b.setRollingUpdate(io.orchestry.provisioner.v1.RollingUpdate.newBuilder().setMaxSurge(r.maxSurge())
                .setMaxUnavailable(r.maxUnavailable()).setMinReady(ProtoTime.toDuration(r.minReady()))
                .setProgressDeadline(ProtoTime.toDuration(r.progressDeadline())));
        return b.build();
    }

    private static io.orchestry.provisioner.v1.HealthCheck toProto(HealthCheck h) {
        var b = io.orchestry.provisioner.v1.HealthCheck.newBuilder();
        if (h.probe() instanceof HealthCheck.Http http) {
            b.setHttp(io.orchestry.provisioner.v1.HttpProbe.newBuilder().setPath(http.path()).setPortName(http.portName()));
        } else if (h.probe() instanceof HealthCheck.Tcp tcp) {
            b.setTcp(io.orchestry.provisioner.v1.TcpProbe.newBuilder().setPortName(tcp.portName()));
        } else if (h.probe() instanceof HealthCheck.Exec exec) {
            b.setExec(io.orchestry.provisioner.v1.ExecProbe.newBuilder().setCommand(exec.command()).addAllArgs(exec.args()));
        }
        return b.setInterval(ProtoTime.toDuration(h.interval())).setTimeout(ProtoTime.toDuration(h.timeout()))
                .setFailureThreshold(h.failureThreshold()).setInitialDelay(ProtoTime.toDuration(h.initialDelay())).build();
    }

    static io.orchestry.provisioner.v1.AppStatus toProto(AppStatus s) {
        var b = io.orchestry.provisioner.v1.AppStatus.newBuilder().setObservedGeneration(s.observedGeneration())
                .setState(toProto(s.state())).setDesiredReplicas(s.desiredReplicas()).setReadyReplicas(s.readyReplicas())
                .setAvailableReplicas(s.availableReplicas()).setUpdatedReplicas(s.updatedReplicas())
                .setCurrentRevision(s.currentRevision());
        for (Condition c : s.conditions()) {
            var cb = io.orchestry.provisioner.v1.Condition.newBuilder()
                    .setType(io.orchestry.provisioner.v1.ConditionType.valueOf("CONDITION_TYPE_" + c.type().name()))
                    .setStatus(io.orchestry.provisioner.v1.ConditionStatus.valueOf("CONDITION_STATUS_" + c.status().name()))
                    .setReason(c.reason()).setMessage(c.message()).setObservedGeneration(c.observedGeneration());
            ProtoTime.set(c.lastTransitionTime(), cb::setLastTransitionTime);
            b.addConditions(cb);
        }
        return b.build();
    }

    static io.orchestry.provisioner.v1.AppState toProto(AppState state) {
        return io.orchestry.provisioner.v1.AppState.valueOf("APP_STATE_" + state.name());
    }
}
