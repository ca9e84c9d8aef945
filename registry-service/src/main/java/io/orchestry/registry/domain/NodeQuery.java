package io.orchestry.registry.domain;

import io.orchestry.names.LabelSelector;
import java.util.Set;

/**
 * Which nodes a list shows (in name order, one page at a time).
 *
 * @param statuses      only these (empty: all)
 * @param region        only this region ("" for any)
 * @param driverKind    only this kind (null for any)
 * @param labelSelector only nodes whose labels match
 */
public record NodeQuery(Set<NodeStatus> statuses, String region, DriverKind driverKind, LabelSelector labelSelector) {
}
