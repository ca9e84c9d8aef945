package io.orchestry.gateway.fake;

import io.orchestry.error.Violations;
import io.orchestry.names.ResourceNames;
import io.orchestry.provisioner.v1.AppSpec;
import io.orchestry.provisioner.v1.HealthCheck;
import io.orchestry.provisioner.v1.PortSpec;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks of an app spec that {@code app.proto} documents, with the provisioner's field paths. */
final class FakeSpecs {
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private FakeSpecs() {
    }

    static void check(AppSpec spec, Violations violations) {
        switch (spec.getRuntimeCase()) {
            case PROCESS -> violations.require(!spec.getProcess().getCommand().isBlank(), "spec.process.command", "required");
            case CONTAINER -> violations.require(!spec.getContainer().getImage().isBlank()
                    && !spec.getContainer().getImage().contains(" "), "spec.container.image", "required: an image reference");
            default -> violations.add("spec", "give process or container");
        }
        spec.getEnvMap().keySet().forEach(name -> {
            violations.require(ENV_NAME.matcher(name).matches(), "spec.env", "'" + name + "' is not ^[A-Za-z_][A-Za-z0-9_]*$");
            violations.require(!name.equals("PORT") && !name.startsWith("PORT_"), "spec.env", name + " is reserved");
        });
        Set<String> ports = new HashSet<>();
        for (int i = 0; i < spec.getPortsCount(); i++) {
            PortSpec port = spec.getPorts(i);
            ResourceNames.checkName(violations, "spec.ports[" + i + "].name", port.getName());
            violations.require(ports.add(port.getName()), "spec.ports[" + i + "].name", "used twice");
            if (spec.hasContainer()) {
                violations.require(port.getContainerPort() >= 1 && port.getContainerPort() <= 65535,
                        "spec.ports[" + i + "].container_port", "must be 1 to 65535");
            }
        }
        violations.require(spec.getReplicas() >= 0, "spec.replicas", "must not be negative");
        if (spec.hasResources()) {
            violations.require(spec.getResources().getRequests().getCpuMillis() >= 0, "spec.resources.requests.cpu_millis", "must not be negative");
            violations.require(spec.getResources().getRequests().getMemoryBytes() >= 0, "spec.resources.requests.memory_bytes", "must not be negative");
            violations.require(spec.getResources().getLimits().getCpuMillis() >= 0, "spec.resources.limits.cpu_millis", "must not be negative");
            violations.require(spec.getResources().getLimits().getMemoryBytes() >= 0, "spec.resources.limits.memory_bytes", "must not be negative");
        }
        if (spec.hasHealthCheck()) {
            HealthCheck check = spec.getHealthCheck();
            if (check.hasHttp()) {
                violations.require(check.getHttp().getPath().startsWith("/"), "spec.health_check.http.path", "must begin with /");
                violations.require(check.getHttp().getPortName().isEmpty() || ports.contains(check.getHttp().getPortName()),
                        "spec.health_check.http.port_name", "names none of the app's ports");
            }
            violations.require(check.getTimeout().getSeconds() >= 0 && check.getInterval().getSeconds() >= 0,
                    "spec.health_check.timeout", "must not be negative");
            violations.require(check.getFailureThreshold() >= 0, "spec.health_check.failure_threshold", "must not be negative");
        }
        if (spec.hasPlacement() && !spec.getPlacement().getNodeLabelSelector().isEmpty()) {
            try {
                io.orchestry.names.LabelSelector.parse(spec.getPlacement().getNodeLabelSelector(), "spec.placement.node_label_selector");
            } catch (io.orchestry.error.InvalidArgumentException e) {
                e.violations().forEach(v -> violations.add(v.field(), v.message()));
            }
        }
        violations.require(spec.getRollingUpdate().getMaxSurge() >= 0, "spec.rolling_update.max_surge", "must not be negative");
        violations.require(spec.getRollingUpdate().getMaxUnavailable() >= 0, "spec.rolling_update.max_unavailable", "must not be negative");
    }

    /** Whether a change from {@code before} to {@code after} changes what runs (a new revision), not only the replicas. */
    static boolean changesWhatRuns(AppSpec before, AppSpec after) {
        return !before.toBuilder().setReplicas(0).build().equals(after.toBuilder().setReplicas(0).build());
    }
}
