package io.orchestry.provisioner.placement;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Instance;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What is reserved on each node: the requests of its non-retiring instances (retiring ones are on their way out and make
 * room for their replacements). The one rule for the placer's {@code allocated} and for what the registry is told.
 *
 * @param requests the requests of each node's instances summed, by node name
 * @param counts   how many instances count, by node name
 */
public record Allocations(Map<String, ComputeResources> requests, Map<String, Integer> counts) {

    public Allocations {
        requests = Map.copyOf(requests);
        counts = Map.copyOf(counts);
    }

    /** @param requestsOf one instance's requests (its revision's spec) */
    public static Allocations of(Collection<Instance> instances, Function<Instance, ComputeResources> requestsOf) {
        Map<String, ComputeResources> requests = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Instance instance : instances) {
            if (instance.retiring()) {
                continue;
            }
            requests.merge(instance.nodeName(), requestsOf.apply(instance), ComputeResources::plus);
            counts.merge(instance.nodeName(), 1, Integer::sum);
        }
        return new Allocations(requests, counts);
    }

    public ComputeResources on(String node) {
        return requests.getOrDefault(node, ComputeResources.ZERO);
    }

    public int countOn(String node) {
        return counts.getOrDefault(node, 0);
    }
}
