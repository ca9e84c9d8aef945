package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;

import java.util.List;
import java.util.Optional;

/** What is: the app's instance rows and the fleet's nodes (status, mode, drain deadline). */
public record Observed(List<Instance> instances, List<FleetNode> nodes) {
    public Observed {
        instances = List.copyOf(instances);
        nodes = List.copyOf(nodes);
    }

    public Optional<FleetNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
