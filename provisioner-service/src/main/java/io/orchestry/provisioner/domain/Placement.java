package io.orchestry.provisioner.domain;

import java.util.List;

/**
 * Where replicas may go.
 *
 * @param nodeLabelSelector the registry's selector syntax ({@code io.orchestry.names.LabelSelector}); empty: any node
 * @param regions           empty: any region
 */
public record Placement(String nodeLabelSelector, List<String> regions, PlacementStrategy strategy) {
    public static final Placement ANYWHERE = new Placement("", List.of(), PlacementStrategy.SPREAD);

    public Placement {
        regions = List.copyOf(regions);
    }
}
