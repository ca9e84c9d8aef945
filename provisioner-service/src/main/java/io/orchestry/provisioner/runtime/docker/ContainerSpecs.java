package io.orchestry.provisioner.runtime.docker;

import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.WorkloadSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pure mapping of a {@link WorkloadSpec} to what the engine's create call gets, and of the ports label back. The ports'
 * names and spec order go into the {@value #PORTS_LABEL} label so that an inspect (or a restarted provisioner) reads
 * them back in spec order.
 */
final class ContainerSpecs {
    /** {@code name:containerPort/protocol,...} in spec order. */
    static final String PORTS_LABEL = "orchestry.ports";

    private ContainerSpecs() {
    }

    /**
     * What a container is created with.
     *
     * @param entrypoint empty: the image's
     * @param cmd        empty: the image's (when entrypoint is empty too)
     * @param ports      published on {@code hostIp}, host port chosen by the engine
     * @param memoryBytes 0: no limit
     * @param nanoCpus   0: no limit
     */
    record CreateContainer(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                           Map<String, String> labels, List<PortSpec> ports, String hostIp, long memoryBytes,
                           long nanoCpus) {
    }

    static CreateContainer of(WorkloadSpec spec, String hostIp) {
        if (!(spec.runtime() instanceof Runtime.Container container)) {
            throw new IllegalArgumentException("the docker driver runs containers, not " + spec.runtime());
        }
        Map<String, String> labels = new LinkedHashMap<>(spec.owner().asLabels());
        if (!spec.ports().isEmpty()) {
            labels.put(PORTS_LABEL, portsLabel(spec.ports()));
        }
        List<String> entrypoint = container.command().isEmpty() ? List.of() : List.of(container.command());
        return new CreateContainer(spec.id().value(), container.image(), entrypoint, container.args(), env(spec),
                Map.copyOf(labels), spec.ports(), hostIp, spec.limits().memoryBytes(),
                spec.limits().cpuMillis() * 1_000_000L);
    }

    /**
     * The app's variables, then ORCHESTRY_INSTANCE/APP/PROJECT/REVISION and PORT (the first container port) and
     * PORT_&lt;NAME&gt; (each), which win over an app variable of the same name. Sorted by name, so a create is
     * reproducible.
     */
    static List<String> env(WorkloadSpec spec) {
        Map<String, String> env = new TreeMap<>(spec.env());
        env.put("ORCHESTRY_INSTANCE", spec.id().value());
        env.put("ORCHESTRY_APP", spec.owner().app());
        env.put("ORCHESTRY_PROJECT", spec.owner().project());
        env.put("ORCHESTRY_REVISION", Long.toString(spec.owner().revision()));
        if (!spec.ports().isEmpty()) {
            env.put("PORT", Integer.toString(spec.ports().get(0).containerPort()));
        }
        for (PortSpec port : spec.ports()) {
            env.put(portVariable(port.name()), Integer.toString(port.containerPort()));
        }
        List<String> pairs = new ArrayList<>(env.size());
        env.forEach((name, value) -> pairs.add(name + "=" + value));
        return pairs;
    }

    /** {@code PORT_<NAME>}: upper-cased, '-' as '_'. */
    static String portVariable(String portName) {
        return "PORT_" + portName.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    static String portsLabel(List<PortSpec> ports) {
        StringBuilder label = new StringBuilder();
        for (PortSpec port : ports) {
            if (label.length() > 0) {
                label.append(',');
            }
            label.append(port.name()).append(':').append(port.containerPort()).append('/')
                    .append(port.protocol().name().toLowerCase(Locale.ROOT));
        }
        return label.toString();
    }

    /** The ports a container was created with, in spec order; empty for a label that is absent or malformed. */
    static List<PortSpec> portsFromLabel(String label) {
        if (label == null || label.isBlank()) {
            return List.of();
        }
        List<PortSpec> ports = new ArrayList<>();
        for (String entry : label.split(",")) {
            int colon = entry.lastIndexOf(':');
            int slash = entry.lastIndexOf('/');
            if (colon <= 0 || slash < colon) {
                return List.of();
            }
            try {
                ports.add(new PortSpec(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1, slash)),
                        PortProtocol.valueOf(entry.substring(slash + 1).toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException malformed) {
                return List.of();
            }
        }
        return List.copyOf(ports);
    }

    /**
     * The published ports in spec order, from the engine's bindings ({@code "8000/tcp"} to host ports); a port the
     * engine did not publish (a container that does not run has none) is left out.
     */
    static List<InstancePort> published(List<PortSpec> ports, Map<String, Integer> hostPortByContainerPort) {
        List<InstancePort> published = new ArrayList<>(ports.size());
        for (PortSpec port : ports) {
            Optional.ofNullable(hostPortByContainerPort.get(key(port)))
                    .ifPresent(hostPort -> published.add(new InstancePort(port.name(), hostPort)));
        }
        return List.copyOf(published);
    }

    /** The engine's name of a container port: {@code 8000/tcp}. */
    static String key(PortSpec port) {
        return port.containerPort() + "/" + port.protocol().name().toLowerCase(Locale.ROOT);
    }
}
