package io.orchestry.provisioner.domain;

import java.util.Set;

/** Which instances a list covers; an empty field (or set) matches all. */
public record InstanceQuery(String project, String app, String nodeName, Set<InstanceState> states) {
    public static final InstanceQuery ALL = new InstanceQuery("", "", "", Set.of());

    public InstanceQuery {
        states = Set.copyOf(states);
    }

    public boolean matches(Instance instance) {
        return (project.isEmpty() || project.equals(instance.project()))
                && (app.isEmpty() || app.equals(instance.app()))
                && (nodeName.isEmpty() || nodeName.equals(instance.nodeName()))
                && (states.isEmpty() || states.contains(instance.state()));
    }
}
