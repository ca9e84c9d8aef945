package io.orchestry.provisioner.placement;

import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.FleetNode;

import java.util.List;
import java.util.Map;

/**
 * Where new replicas go. Pure: no I/O, no clock. Only nodes that {@link FleetNode#acceptsPlacements()}, whose driver
 * kind runs the spec's runtime, that match the selector and regions, and have the requests free.
 */
public interface Placer {

    /**
     * @param spec      the app's spec (runtime, requests, placement)
     * @param count     how many new replicas to place
     * @param nodes     the fleet
     * @param allocated what is already reserved on each node (by name), all apps together
     * @param appCounts how many replicas of this app each node already runs (for spread / binpack)
     * @return one node name per replica placed, in order: fewer than count when only some fit (the rest wait for
     *         capacity); {@code ResourceExhaustedException} naming why (no node of that kind, the selector matched
     *         none, not enough memory on any) when not one fits
     */
    List<String> place(AppSpec spec, int count, List<FleetNode> nodes, Map<String, ComputeResources> allocated,
                       Map<String, Integer> appCounts);
}
