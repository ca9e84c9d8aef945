package io.orchestry.provisioner.placement;

import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.names.LabelSelector;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Placement;
import io.orchestry.provisioner.domain.PlacementStrategy;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The placer: filters the fleet (accepts placements, driver kind, regions, label selector, free requests), then scores
 * what is left. SPREAD (the default): fewest replicas of this app, then most free memory, then most free CPU; BINPACK:
 * most replicas of this app, then least free memory, then least free CPU. Ties go to the first name. Each replica placed
 * counts against its node before the next is chosen. Pure and thread-safe.
 */
@Singleton
public class ScoringPlacer implements Placer {
    static final String SELECTOR_FIELD = "spec.placement.nodeLabelSelector";

    @Override
    public List<String> place(AppSpec spec, int count, List<FleetNode> nodes, Map<String, ComputeResources> allocated,
                              Map<String, Integer> appCounts) {
        if (count <= 0) {
            return List.of();
        }
        List<FleetNode> eligible = eligible(spec, nodes);
        ComputeResources requests = spec.resources().requests();
        Map<String, ComputeResources> free = new HashMap<>();
        for (FleetNode node : eligible) {
            free.put(node.name(), node.allocatable().minus(allocated.getOrDefault(node.name(), ComputeResources.ZERO)));
        }
        Map<String, Integer> replicas = new HashMap<>(appCounts);
        boolean binpack = spec.placement().strategy() == PlacementStrategy.BINPACK;
        List<String> chosen = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            FleetNode best = null;
            for (FleetNode node : eligible) {
                if (requests.fitsIn(free.get(node.name()))
                        && (best == null || better(node, best, free, replicas, binpack))) {
                    best = node;
                }
            }
            if (best == null) {
                if (chosen.isEmpty()) {
                    throw ResourceExhaustedException.capacity(notEnough(requests, eligible, free));
                }
                break;
            }
            chosen.add(best.name());
            free.put(best.name(), free.get(best.name()).minus(requests));
            replicas.merge(best.name(), 1, Integer::sum);
        }
        return chosen;
    }

    /** Nodes that may take the spec at all, whatever their free capacity; names why when there is none. */
    private static List<FleetNode> eligible(AppSpec spec, List<FleetNode> nodes) {
        DriverKind kind = spec.runtime().driverKind();
        Placement placement = spec.placement();
        LabelSelector selector = LabelSelector.parse(placement.nodeLabelSelector(), SELECTOR_FIELD);
        int ofKind = 0;
        List<FleetNode> ready = new ArrayList<>();
        for (FleetNode node : nodes) {
            if (node.driverKind() == kind) {
                ofKind++;
                if (node.acceptsPlacements()) {
                    ready.add(node);
                }
            }
        }
        String kindName = kind.name().toLowerCase(Locale.ROOT);
        if (ready.isEmpty()) {
            throw ResourceExhaustedException.capacity("no READY " + kindName + " node"
                    + (ofKind == 0 ? "" : " (" + ofKind + " " + kindName + " node" + plural(ofKind)
                    + ", none READY, schedulable and not independent)"));
        }
        List<FleetNode> inRegion = placement.regions().isEmpty() ? ready
                : ready.stream().filter(n -> placement.regions().contains(n.region())).toList();
        if (inRegion.isEmpty()) {
            throw ResourceExhaustedException.capacity("no READY " + kindName + " node in region"
                    + plural(placement.regions().size()) + " " + String.join(", ", placement.regions()));
        }
        if (selector.terms().isEmpty()) {
            return inRegion;
        }
        List<FleetNode> selected = inRegion.stream().filter(n -> selector.matches(n.labels())).toList();
        if (selected.isEmpty()) {
            throw ResourceExhaustedException.capacity("node selector '" + placement.nodeLabelSelector()
                    + "' matched no node (of " + inRegion.size() + " READY " + kindName + " node"
                    + plural(inRegion.size()) + ")");
        }
        return selected;
    }

    private static boolean better(FleetNode node, FleetNode best, Map<String, ComputeResources> free,
                                  Map<String, Integer> replicas, boolean binpack) {
        int countOrder = Integer.compare(replicas.getOrDefault(node.name(), 0), replicas.getOrDefault(best.name(), 0));
        ComputeResources a = free.get(node.name());
        ComputeResources b = free.get(best.name());
        int freeOrder = Long.compare(a.memoryBytes(), b.memoryBytes());
        if (freeOrder == 0) {
            freeOrder = Long.compare(a.cpuMillis(), b.cpuMillis());
        }
        int order = binpack
                ? (countOrder != 0 ? -countOrder : freeOrder)
                : (countOrder != 0 ? countOrder : -freeOrder);
        return order < 0 || (order == 0 && node.name().compareTo(best.name()) < 0);
    }

    private static String notEnough(ComputeResources requests, List<FleetNode> eligible,
                                    Map<String, ComputeResources> free) {
        long mostMemory = Long.MIN_VALUE;
        long mostCpu = Long.MIN_VALUE;
        for (FleetNode node : eligible) {
            mostMemory = Math.max(mostMemory, free.get(node.name()).memoryBytes());
            mostCpu = Math.max(mostCpu, free.get(node.name()).cpuMillis());
        }
        String nodes = eligible.size() + " node" + plural(eligible.size());
        if (mostMemory < requests.memoryBytes()) {
            return "not enough memory on any of " + nodes + ": needs " + mebibytes(requests.memoryBytes())
                    + ", most free " + mebibytes(mostMemory);
        }
        if (mostCpu < requests.cpuMillis()) {
            return "not enough CPU on any of " + nodes + ": needs " + requests.cpuMillis() + "m, most free "
                    + Math.max(0, mostCpu) + "m";
        }
        return "not enough CPU and memory together on any of " + nodes + ": needs " + requests.cpuMillis() + "m and "
                + mebibytes(requests.memoryBytes());
    }

    private static String mebibytes(long bytes) {
        return Math.max(0, bytes) / (1L << 20) + " MiB";
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
