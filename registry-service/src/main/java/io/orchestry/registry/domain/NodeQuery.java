package io.orchestry.registry.domain;

import java.util.Set;

/**
 * A page of nodes in name order, filtered.
 *
 * @param afterName     the last name of the previous page ("" for the first page)
 * @param statuses      only these (empty: all)
 * @param region        only this region ("" for any)
 * @param driverKind    only this kind (null for any)
 * @param labelSelector only nodes whose labels match
 * @param pageSize      at most this many, 1 to {@link #MAX_PAGE_SIZE}
 */
public record NodeQuery(String afterName, Set<NodeStatus> statuses, String region, DriverKind driverKind,
                        LabelSelector labelSelector, int pageSize) {
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 500;
}
