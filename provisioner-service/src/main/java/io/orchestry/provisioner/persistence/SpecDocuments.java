package io.orchestry.provisioner.persistence;

import io.micronaut.json.tree.JsonNode;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AppSpec} as the JSON document the {@code spec} columns hold, by hand so the domain records carry no
 * serialization annotations. Field names are the proto's lowerCamelCase; durations ISO-8601; enums by name.
 */
final class SpecDocuments {
    private SpecDocuments() {
    }

    static JsonNode write(AppSpec spec) {
        Map<String, JsonNode> o = new LinkedHashMap<>();
        if (spec.runtime() instanceof Runtime.Process p) {
            o.put("process", object(Map.of(
                    "command", str(p.command()), "args", strings(p.args()), "workingDir", str(p.workingDir()))));
        } else if (spec.runtime() instanceof Runtime.Container c) {
            o.put("container", object(Map.of(
                    "image", str(c.image()), "command", str(c.command()), "args", strings(c.args()),
                    "pullPolicy", str(c.pullPolicy().name()))));
        }
        o.put("env", stringMap(spec.env()));
        List<JsonNode> ports = new ArrayList<>();
        for (PortSpec port : spec.ports()) {
            ports.add(object(Map.of("name", str(port.name()), "containerPort", JsonNode.createNumberNode(port.containerPort()),
                    "protocol", str(port.protocol().name()))));
        }
        o.put("ports", JsonNode.createArrayNode(ports));
        o.put("replicas", JsonNode.createNumberNode(spec.replicas()));
        o.put("resources", object(Map.of("requests", compute(spec.resources().requests()),
                "limits", compute(spec.resources().limits()))));
        if (spec.healthCheck() != null) {
            o.put("healthCheck", healthCheck(spec.healthCheck()));
        }
        o.put("restartPolicy", str(spec.restartPolicy().name()));
        o.put("placement", object(Map.of("nodeLabelSelector", str(spec.placement().nodeLabelSelector()),
                "regions", strings(spec.placement().regions()), "strategy", str(spec.placement().strategy().name()))));
        o.put("deploymentStrategy", str(spec.deploymentStrategy().name()));
        RollingUpdate r = spec.rollingUpdate();
        o.put("rollingUpdate", object(Map.of("maxSurge", JsonNode.createNumberNode(r.maxSurge()),
                "maxUnavailable", JsonNode.createNumberNode(r.maxUnavailable()),
                "minReady", str(r.minReady().toString()), "progressDeadline", str(r.progressDeadline().toString()))));
        return JsonNode.createObjectNode(o);
    }

    static AppSpec read(JsonNode o) {
        Runtime runtime;
        if (o.get("process") != null) {
            JsonNode p = o.get("process");
            runtime = new Runtime.Process(p.get("command").getStringValue(), strings(p.get("args")), p.get("workingDir").getStringValue());
        } else {
            JsonNode c = o.get("container");
            runtime = new Runtime.Container(c.get("image").getStringValue(), c.get("command").getStringValue(),
                    strings(c.get("args")), ImagePullPolicy.valueOf(c.get("pullPolicy").getStringValue()));
        }
        List<PortSpec> ports = new ArrayList<>();
        for (JsonNode port : o.get("ports").values()) {
            ports.add(new PortSpec(port.get("name").getStringValue(), port.get("containerPort").getIntValue(),
                    PortProtocol.valueOf(port.get("protocol").getStringValue())));
        }
        JsonNode resources = o.get("resources");
        JsonNode placement = o.get("placement");
        JsonNode r = o.get("rollingUpdate");
        return new AppSpec(runtime, stringMap(o.get("env")), ports, o.get("replicas").getIntValue(),
                new ResourceRequirements(compute(resources.get("requests")), compute(resources.get("limits"))),
                o.get("healthCheck") == null ? null : healthCheck(o.get("healthCheck")),
                RestartPolicy.valueOf(o.get("restartPolicy").getStringValue()),
                new Placement(placement.get("nodeLabelSelector").getStringValue(), strings(placement.get("regions")),
                        PlacementStrategy.valueOf(placement.get("strategy").getStringValue())),
                DeploymentStrategy.valueOf(o.get("deploymentStrategy").getStringValue()),
                new RollingUpdate(r.get("maxSurge").getIntValue(), r.get("maxUnavailable").getIntValue(),
                        Duration.parse(r.get("minReady").getStringValue()), Duration.parse(r.get("progressDeadline").getStringValue())));
    }

    private static JsonNode healthCheck(HealthCheck h) {
        Map<String, JsonNode> o = new LinkedHashMap<>();
        if (h.probe() instanceof HealthCheck.Http http) {
            o.put("http", object(Map.of("path", str(http.path()), "portName", str(http.portName()))));
        } else if (h.probe() instanceof HealthCheck.Tcp tcp) {
            o.put("tcp", object(Map.of("portName", str(tcp.portName()))));
        } else if (h.probe() instanceof HealthCheck.Exec exec) {
            o.put("exec", object(Map.of("command", str(exec.command()), "args", strings(exec.args()))));
        }
        o.put("interval", str(h.interval().toString()));
        o.put("timeout", str(h.timeout().toString()));
        o.put("failureThreshold", JsonNode.createNumberNode(h.failureThreshold()));
        o.put("initialDelay", str(h.initialDelay().toString()));
        return JsonNode.createObjectNode(o);
    }

    private static HealthCheck healthCheck(JsonNode o) {
        HealthCheck.Probe probe;
        if (o.get("http") != null) {
            probe = new HealthCheck.Http(o.get("http").get("path").getStringValue(), o.get("http").get("portName").getStringValue());
        } else if (o.get("tcp") != null) {
            probe = new HealthCheck.Tcp(o.get("tcp").get("portName").getStringValue());
        } else {
            probe = new HealthCheck.Exec(o.get("exec").get("command").getStringValue(), strings(o.get("exec").get("args")));
        }
        return new HealthCheck(probe, Duration.parse(o.get("interval").getStringValue()), Duration.parse(o.get("timeout").getStringValue()),
                o.get("failureThreshold").getIntValue(), Duration.parse(o.get("initialDelay").getStringValue()));
    }

    static JsonNode compute(ComputeResources c) {
        return object(Map.of("cpuMillis", JsonNode.createNumberNode(c.cpuMillis()), "memoryBytes", JsonNode.createNumberNode(c.memoryBytes())));
    }

    static ComputeResources compute(JsonNode o) {
        return new ComputeResources(o.get("cpuMillis").getLongValue(), o.get("memoryBytes").getLongValue());
    }

    static JsonNode object(Map<String, JsonNode> fields) {
        return JsonNode.createObjectNode(new LinkedHashMap<>(fields));
    }

    static JsonNode str(String value) {
        return JsonNode.createStringNode(value == null ? "" : value);
    }

    static JsonNode strings(List<String> values) {
        return JsonNode.createArrayNode(values.stream().map(JsonNode::createStringNode).toList());
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array.values()) {
            values.add(value.getStringValue());
        }
        return values;
    }

    static JsonNode stringMap(Map<String, String> map) {
        Map<String, JsonNode> o = new LinkedHashMap<>();
        new java.util.TreeMap<>(map).forEach((k, v) -> o.put(k, JsonNode.createStringNode(v)));
        return JsonNode.createObjectNode(o);
    }

    static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.entries()) {
            map.put(e.getKey(), e.getValue().getStringValue());
        }
        return map;
    }
}
