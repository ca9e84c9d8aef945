package io.orchestry.registry.domain;

import io.orchestry.paging.Page;

/**
 * One page of nodes.
 *
 * @param resourceVersion watch from here to see every change after this page was read
 */
public record NodePage(Page<Node> page, long resourceVersion) {
}
