package io.orchestry.gateway.api;

import com.google.protobuf.Duration;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.Violations;
import io.orchestry.provisioner.v1.AppSpec;
import io.orchestry.provisioner.v1.ComputeResources;
import io.orchestry.provisioner.v1.ContainerSpec;
import io.orchestry.provisioner.v1.DeploymentStrategy;
import io.orchestry.provisioner.v1.ExecProbe;
import io.orchestry.provisioner.v1.HealthCheck;
import io.orchestry.provisioner.v1.HttpProbe;
import io.orchestry.provisioner.v1.ImagePullPolicy;
import io.orchestry.provisioner.v1.Placement;
import io.orchestry.provisioner.v1.PlacementStrategy;
import io.orchestry.provisioner.v1.PortProtocol;
import io.orchestry.provisioner.v1.PortSpec;
import io.orchestry.provisioner.v1.ProcessSpec;
import io.orchestry.provisioner.v1.ResourceRequirements;
import io.orchestry.provisioner.v1.RestartPolicy;
import io.orchestry.provisioner.v1.RollingUpdate;
import io.orchestry.provisioner.v1.TcpProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link AppSpecJson} to and from the provisioner's {@code AppSpec}. Only what the gateway must
 * check to build the message is checked here (enum words, durations, null list entries), every
 * problem under the field name the caller wrote; the provisioner checks the rest.
 */
final class AppSpecJsonMapper {
    private AppSpecJsonMapper() {
    }

    static AppSpec toProto(AppSpecJson json, String field, Violations violations) {
        AppSpec.Builder spec = AppSpec.newBuilder();
        if (json.process() != null) {
            AppSpecJson.Process p = json.process();
            ProcessSpec.Builder process = ProcessSpec.newBuilder();
            set(p.command(), process::setCommand);
            process.addAllArgs(strings(p.args(), field + ".process.args", violations));
            set(p.workingDir(), process::setWorkingDir);
            spec.setProcess(process);
        }
        if (json.container() != null) {
            AppSpecJson.Container c = json.container();
            ContainerSpec.Builder container = ContainerSpec.newBuilder();
            set(c.image(), container::setImage);
            set(c.command(), container::setCommand);
            container.addAllArgs(strings(c.args(), field + ".container.args", violations));
            if (c.pullPolicy() != null) {
                set(JsonValues.parse(ImagePullPolicy.class, "IMAGE_PULL_POLICY_", c.pullPolicy(),
                        field + ".container.pullPolicy", violations), container::setPullPolicy);
            }
            spec.setContainer(container);
        }
        if (json.env() != null) {
            json.env().forEach((name, value) -> {
                if (violations.require(name != null && value != null, field + ".env", "names and values must be strings")) {
                    spec.putEnv(name, value);
                }
            });
        }
        if (json.ports() != null) {
            for (int i = 0; i < json.ports().size(); i++) {
                spec.addPorts(port(json.ports().get(i), field + ".ports[" + i + "]", violations));
            }
        }
        set(json.replicas(), spec::setReplicas);
        if (json.resources() != null) {
            ResourceRequirements.Builder resources = ResourceRequirements.newBuilder();
            if (json.resources().requests() != null) {
                resources.setRequests(compute(json.resources().requests()));
            }
            if (json.resources().limits() != null) {
                resources.setLimits(compute(json.resources().limits()));
            }
            spec.setResources(resources);
        }
        if (json.healthCheck() != null) {
            spec.setHealthCheck(healthCheck(json.healthCheck(), field + ".healthCheck", violations));
        }
        if (json.restartPolicy() != null) {
            set(JsonValues.parse(RestartPolicy.class, "RESTART_POLICY_", json.restartPolicy(), field + ".restartPolicy",
                    violations), spec::setRestartPolicy);
        }
        if (json.placement() != null) {
            AppSpecJson.Placement p = json.placement();
            Placement.Builder placement = Placement.newBuilder();
            set(p.nodeLabelSelector(), placement::setNodeLabelSelector);
            placement.addAllRegions(strings(p.regions(), field + ".placement.regions", violations));
            if (p.strategy() != null) {
                set(JsonValues.parse(PlacementStrategy.class, "PLACEMENT_STRATEGY_", p.strategy(),
                        field + ".placement.strategy", violations), placement::setStrategy);
            }
            spec.setPlacement(placement);
        }
        if (json.deploymentStrategy() != null) {
            set(JsonValues.parse(DeploymentStrategy.class, "DEPLOYMENT_STRATEGY_", json.deploymentStrategy(),
                    field + ".deploymentStrategy", violations), spec::setDeploymentStrategy);
        }
        if (json.rollingUpdate() != null) {
            AppSpecJson.RollingUpdate r = json.rollingUpdate();
            RollingUpdate.Builder rolling = RollingUpdate.newBuilder();
            set(r.maxSurge(), rolling::setMaxSurge);
            set(r.maxUnavailable(), rolling::setMaxUnavailable);
            duration(r.minReady(), field + ".rollingUpdate.minReady", violations, rolling::setMinReady);
            duration(r.progressDeadline(), field + ".rollingUpdate.progressDeadline", violations, rolling::setProgressDeadline);
            spec.setRollingUpdate(rolling);
        }
        return spec.build();
    }

    /** The update-mask paths of the spec fields a PATCH body gives ({@code spec.env}, {@code spec.health_check}, ...). */
    static List<String> maskPaths(AppSpecJson json) {
        List<String> paths = new ArrayList<>();
        add(paths, json.process(), "spec.process");
        add(paths, json.container(), "spec.container");
        add(paths, json.env(), "spec.env");
        add(paths, json.ports(), "spec.ports");
        add(paths, json.replicas(), "spec.replicas");
        add(paths, json.resources(), "spec.resources");
        add(paths, json.healthCheck(), "spec.health_check");
        add(paths, json.restartPolicy(), "spec.restart_policy");
        add(paths, json.placement(), "spec.placement");
        add(paths, json.deploymentStrategy(), "spec.deployment_strategy");
        add(paths, json.rollingUpdate(), "spec.rolling_update");
        return paths;
    }

    static AppSpecJson toJson(AppSpec spec) {
        return new AppSpecJson(
                spec.hasProcess() ? new AppSpecJson.Process(spec.getProcess().getCommand(), spec.getProcess().getArgsList(),
                        emptyToNull(spec.getProcess().getWorkingDir())) : null,
                spec.hasContainer() ? new AppSpecJson.Container(spec.getContainer().getImage(),
                        emptyToNull(spec.getContainer().getCommand()), spec.getContainer().getArgsList(),
                        JsonValues.nameOrNull("IMAGE_PULL_POLICY_", spec.getContainer().getPullPolicy())) : null,
                spec.getEnvMap(),
                spec.getPortsList().stream().map(p -> new AppSpecJson.Port(p.getName(), p.getContainerPort(),
                        JsonValues.nameOrNull("PORT_PROTOCOL_", p.getProtocol()))).toList(),
                spec.getReplicas(),
                spec.hasResources() ? new AppSpecJson.Resources(
                        spec.getResources().hasRequests() ? toJson(spec.getResources().getRequests()) : null,
                        spec.getResources().hasLimits() ? toJson(spec.getResources().getLimits()) : null) : null,
                spec.hasHealthCheck() ? toJson(spec.getHealthCheck()) : null,
                JsonValues.nameOrNull("RESTART_POLICY_", spec.getRestartPolicy()),
                spec.hasPlacement() ? new AppSpecJson.Placement(emptyToNull(spec.getPlacement().getNodeLabelSelector()),
                        spec.getPlacement().getRegionsList(),
                        JsonValues.nameOrNull("PLACEMENT_STRATEGY_", spec.getPlacement().getStrategy())) : null,
                JsonValues.nameOrNull("DEPLOYMENT_STRATEGY_", spec.getDeploymentStrategy()),
                spec.hasRollingUpdate() ? new AppSpecJson.RollingUpdate(spec.getRollingUpdate().getMaxSurge(),
                        spec.getRollingUpdate().getMaxUnavailable(), format(spec.getRollingUpdate().hasMinReady(),
                        spec.getRollingUpdate().getMinReady()), format(spec.getRollingUpdate().hasProgressDeadline(),
                        spec.getRollingUpdate().getProgressDeadline())) : null);
    }

    private static AppSpecJson.HealthCheck toJson(HealthCheck check) {
        return new AppSpecJson.HealthCheck(
                check.hasHttp() ? new AppSpecJson.Http(check.getHttp().getPath(), emptyToNull(check.getHttp().getPortName())) : null,
                check.hasTcp() ? new AppSpecJson.Tcp(emptyToNull(check.getTcp().getPortName())) : null,
                check.hasExec() ? new AppSpecJson.Exec(check.getExec().getCommand(), check.getExec().getArgsList()) : null,
                format(check.hasInterval(), check.getInterval()), format(check.hasTimeout(), check.getTimeout()),
                check.getFailureThreshold(), format(check.hasInitialDelay(), check.getInitialDelay()));
    }

    private static AppSpecJson.Compute toJson(ComputeResources resources) {
        return new AppSpecJson.Compute(resources.getCpuMillis(), resources.getMemoryBytes());
    }

    private static PortSpec port(@Nullable AppSpecJson.Port json, String field, Violations violations) {
        PortSpec.Builder port = PortSpec.newBuilder();
        if (json == null) {
            violations.add(field, "must be a port, not null");
            return port.build();
        }
        set(json.name(), port::setName);
        set(json.containerPort(), port::setContainerPort);
        if (json.protocol() != null) {
            set(JsonValues.parse(PortProtocol.class, "PORT_PROTOCOL_", json.protocol(), field + ".protocol", violations),
                    port::setProtocol);
        }
        return port.build();
    }

    private static HealthCheck healthCheck(AppSpecJson.HealthCheck json, String field, Violations violations) {
        HealthCheck.Builder check = HealthCheck.newBuilder();
        int probes = (json.http() == null ? 0 : 1) + (json.tcp() == null ? 0 : 1) + (json.exec() == null ? 0 : 1);
        violations.require(probes <= 1, field, "give at most one of http, tcp and exec");
        if (json.http() != null) {
            HttpProbe.Builder http = HttpProbe.newBuilder();
            set(json.http().path(), http::setPath);
            set(json.http().portName(), http::setPortName);
            check.setHttp(http);
        } else if (json.tcp() != null) {
            TcpProbe.Builder tcp = TcpProbe.newBuilder();
            set(json.tcp().portName(), tcp::setPortName);
            check.setTcp(tcp);
        } else if (json.exec() != null) {
            ExecProbe.Builder exec = ExecProbe.newBuilder();
            set(json.exec().command(), exec::setCommand);
            exec.addAllArgs(strings(json.exec().args(), field + ".exec.args", violations));
            check.setExec(exec);
        }
        duration(json.interval(), field + ".interval", violations, check::setInterval);
        duration(json.timeout(), field + ".timeout", violations, check::setTimeout);
        set(json.failureThreshold(), check::setFailureThreshold);
        duration(json.initialDelay(), field + ".initialDelay", violations, check::setInitialDelay);
        return check.build();
    }

    private static ComputeResources compute(AppSpecJson.Compute json) {
        ComputeResources.Builder compute = ComputeResources.newBuilder();
        set(json.cpuMillis(), compute::setCpuMillis);
        set(json.memoryBytes(), compute::setMemoryBytes);
        return compute.build();
    }

    private static List<String> strings(@Nullable List<String> values, String field, Violations violations) {
        if (values == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(values.size());
        for (String value : values) {
            if (value == null) {
                violations.add(field, "must hold strings, not null");
            } else {
                out.add(value);
            }
        }
        return out;
    }

    private static void duration(@Nullable String value, String field, Violations violations, Consumer<Duration> set) {
        if (value != null) {
            set(JsonValues.parseDuration(value, field, violations), set);
        }
    }

    private static @Nullable String format(boolean present, Duration duration) {
        return present ? JsonValues.format(duration) : null;
    }

    private static <T> void set(@Nullable T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static void add(List<String> paths, @Nullable Object value, String path) {
        if (value != null) {
            paths.add(path);
        }
    }

    private static @Nullable String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
