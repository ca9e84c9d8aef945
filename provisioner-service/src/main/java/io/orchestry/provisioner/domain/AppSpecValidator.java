package io.orchestry.provisioner.domain;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.Violations;
import io.orchestry.names.LabelSelector;
import io.orchestry.names.ResourceNames;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an app's name, project, labels and spec (defaults applied) and reports every bad field at once, under the
 * lowerCamelCase paths the REST API shows ({@code spec.ports[0].name}, {@code spec.env[PORT]}).
 */
public final class AppSpecValidator {
    public static final int MAX_REPLICAS = 1000;
    static final int MAX_COMMAND = 4096;
    static final int MAX_ARGS = 256;
    static final int MAX_ARG = 4096;
    static final int MAX_ENV = 256;
    static final int MAX_ENV_VALUE = 32 * 1024;
    static final int MAX_PORTS = 32;
    static final long MIN_MEMORY_LIMIT = 4L * 1024 * 1024;
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private AppSpecValidator() {
    }

    /** The whole of a new app. */
    public static void checkNew(String name, String project, Map<String, String> labels, AppSpec spec) {
        Violations v = new Violations();
        ResourceNames.checkName(v, "name", name);
        ResourceNames.checkName(v, "project", project);
        ResourceNames.checkLabels(v, "labels", labels);
        check(v, "spec", spec);
        v.throwIfAny();
    }

    /** Labels and spec of a changed app. */
    public static void checkChange(Map<String, String> labels, AppSpec spec) {
        Violations v = new Violations();
        ResourceNames.checkLabels(v, "labels", labels);
        check(v, "spec", spec);
        v.throwIfAny();
    }

    static void check(Violations v, String f, AppSpec spec) {
        if (spec == null) {
            v.add(f, "required");
            return;
        }
        runtime(v, f, spec);
        env(v, f + ".env", spec.env());
        ports(v, f, spec);
        v.require(spec.replicas() >= 0 && spec.replicas() <= MAX_REPLICAS, f + ".replicas", "must be 0 to " + MAX_REPLICAS);
        resources(v, f + ".resources", spec.resources());
        if (spec.healthCheck() != null) {
            healthCheck(v, f + ".healthCheck", spec.healthCheck(), spec);
        }
        placement(v, f + ".placement", spec.placement());
        RollingUpdate r = spec.rollingUpdate();
        if (r != null) {
            String rf = f + ".rollingUpdate";
            v.require(r.maxSurge() >= 0, rf + ".maxSurge", "must not be negative");
            v.require(r.maxUnavailable() >= 0, rf + ".maxUnavailable", "must not be negative");
            v.require(r.maxSurge() != 0 || r.maxUnavailable() != 0, rf, "maxSurge and maxUnavailable must not both be 0");
            v.require(!r.minReady().isNegative(), rf + ".minReady", "must not be negative");
            v.require(r.progressDeadline().compareTo(r.minReady()) > 0, rf + ".progressDeadline", "must be longer than minReady");
        }
    }

    private static void runtime(Violations v, String f, AppSpec spec) {
        if (spec.runtime() instanceof Runtime.Process p) {
            command(v, f + ".process.command", p.command(), true);
            args(v, f + ".process.args", p.args());
            v.require(p.workingDir().length() <= MAX_COMMAND && p.workingDir().indexOf('\0') < 0, f + ".process.workingDir",
                    "must be at most " + MAX_COMMAND + " characters without NUL");
        } else if (spec.runtime() instanceof Runtime.Container c) {
            String problem = ImageReference.problem(c.image());
            v.require(problem == null, f + ".container.image", problem);
            command(v, f + ".container.command", c.command(), false);
            args(v, f + ".container.args", c.args());
        } else {
            v.add(f, "exactly one of process or container is required");
        }
    }

    private static void command(Violations v, String f, String command, boolean required) {
        if (command.isEmpty()) {
            v.require(!required, f, "required");
            return;
        }
        v.require(command.length() <= MAX_COMMAND, f, "must be at most " + MAX_COMMAND + " characters");
        v.require(command.indexOf('\0') < 0, f, "must not contain NUL");
    }

    private static void args(Violations v, String f, List<String> args) {
        v.require(args.size() <= MAX_ARGS, f, "at most " + MAX_ARGS + " arguments");
        for (int i = 0; i < args.size() && i < MAX_ARGS; i++) {
            String arg = args.get(i);
            v.require(arg.length() <= MAX_ARG && arg.indexOf('\0') < 0, f + "[" + i + "]",
                    "must be at most " + MAX_ARG + " characters without NUL");
        }
    }

    private static void env(Violations v, String f, Map<String, String> env) {
        v.require(env.size() <= MAX_ENV, f, "at most " + MAX_ENV + " variables");
        env.forEach((name, value) -> {
            String ef = f + "[" + name + "]";
            if (!ENV_NAME.matcher(name).matches()) {
                v.add(ef, "name must match ^[A-Za-z_][A-Za-z0-9_]*$");
            } else if (name.equals("PORT") || name.startsWith("PORT_")) {
                v.add(ef, "PORT and PORT_* are reserved: the provisioner sets them to the replica's ports");
            } else if (name.startsWith("ORCHESTRY_")) {
                v.add(ef, "ORCHESTRY_* is reserved for the provisioner");
            }
            v.require(value.length() <= MAX_ENV_VALUE && value.indexOf('\0') < 0, ef,
                    "value must be at most " + MAX_ENV_VALUE + " characters without NUL");
        });
    }

    private static void ports(Violations v, String f, AppSpec spec) {
        List<PortSpec> ports = spec.ports();
        v.require(ports.size() <= MAX_PORTS, f + ".ports", "at most " + MAX_PORTS + " ports");
        boolean container = spec.runtime() instanceof Runtime.Container;
        Set<String> names = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            PortSpec port = ports.get(i);
            String pf = f + ".ports[" + i + "]";
            ResourceNames.checkName(v, pf + ".name", port.name());
            if (port.name() != null && !port.name().isEmpty()) {
                v.require(names.add(port.name()), pf + ".name", "'" + port.name() + "' is used by another port");
            }
            if (container) {
                if (v.require(port.containerPort() >= 1 && port.containerPort() <= 65535, pf + ".containerPort",
                        "must be 1 to 65535 (the port the container listens on)")) {
                    v.require(numbers.add(port.containerPort()), pf + ".containerPort",
                            port.containerPort() + " is used by another port");
                }
            } else {
                v.require(port.containerPort() >= 0 && port.containerPort() <= 65535, pf + ".containerPort",
                        "must be 0 to 65535 (ignored for processes)");
            }
            v.require(port.protocol() != null, pf + ".protocol", "must be TCP or UDP");
        }
    }

    private static void resources(Violations v, String f, ResourceRequirements r) {
        ComputeResources req = r.requests();
        ComputeResources lim = r.limits();
        v.require(req.cpuMillis() >= 0, f + ".requests.cpuMillis", "must not be negative");
        v.require(req.memoryBytes() >= 0, f + ".requests.memoryBytes", "must not be negative");
        v.require(lim.cpuMillis() >= 0, f + ".limits.cpuMillis", "must not be negative (0: no limit)");
        v.require(lim.memoryBytes() >= 0, f + ".limits.memoryBytes", "must not be negative (0: no limit)");
        if (lim.cpuMillis() > 0) {
            v.require(req.cpuMillis() <= lim.cpuMillis(), f + ".requests.cpuMillis", "must not exceed limits.cpuMillis");
        }
        if (lim.memoryBytes() > 0) {
            v.require(req.memoryBytes() <= lim.memoryBytes(), f + ".requests.memoryBytes", "must not exceed limits.memoryBytes");
            v.require(lim.memoryBytes() >= MIN_MEMORY_LIMIT, f + ".limits.memoryBytes", "must be at least 4 MiB when set");
        }
    }

    private static void healthCheck(Violations v, String f, HealthCheck h, AppSpec spec) {
        String portName = null;
        if (h.probe() instanceof HealthCheck.Http http) {
            v.require(http.path().startsWith("/") && http.path().length() <= 2048 && http.path().chars().noneMatch(c -> c <= ' '),
                    f + ".http.path", "must begin with '/', at most 2048 characters, no spaces or control characters");
            portName = http.portName();
            probePort(v, f + ".http.portName", portName, spec);
        } else if (h.probe() instanceof HealthCheck.Tcp tcp) {
            portName = tcp.portName();
            probePort(v, f + ".tcp.portName", portName, spec);
        } else if (h.probe() instanceof HealthCheck.Exec exec) {
            command(v, f + ".exec.command", exec.command(), true);
            args(v, f + ".exec.args", exec.args());
        } else {
            v.add(f, "exactly one of http, tcp or exec is required");
        }
        between(v, f + ".interval", h.interval(), Duration.ofSeconds(1), Duration.ofHours(1));
        between(v, f + ".timeout", h.timeout(), Duration.ofMillis(100), Duration.ofMinutes(5));
        v.require(h.timeout().compareTo(h.interval()) <= 0, f + ".timeout", "must not be longer than interval");
        v.require(h.failureThreshold() >= 1 && h.failureThreshold() <= 100, f + ".failureThreshold", "must be 1 to 100");
        between(v, f + ".initialDelay", h.initialDelay(), Duration.ZERO, Duration.ofHours(1));
    }

    private static void probePort(Violations v, String f, String portName, AppSpec spec) {
        if (spec.ports().isEmpty()) {
            v.add(f, "the app has no port to probe");
        } else if (!portName.isEmpty()) {
            v.require(spec.port(portName).isPresent(), f, "'" + portName + "' is not one of the app's ports");
        }
    }

    private static void between(Violations v, String f, Duration d, Duration min, Duration max) {
        v.require(d.compareTo(min) >= 0 && d.compareTo(max) <= 0, f, "must be " + min + " to " + max);
    }

    private static void placement(Violations v, String f, Placement p) {
        try {
            LabelSelector.parse(p.nodeLabelSelector(), f + ".nodeLabelSelector");
        } catch (InvalidArgumentException e) {
            e.violations().forEach(fv -> v.add(fv.field(), fv.message()));
        }
        for (int i = 0; i < p.regions().size(); i++) {
            ResourceNames.checkName(v, f + ".regions[" + i + "]", p.regions().get(i));
        }
    }
}
