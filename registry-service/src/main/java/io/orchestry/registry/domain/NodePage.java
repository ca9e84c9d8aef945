package io.orchestry.registry.domain;

import java.util.List;

/**
 * One page of nodes; {@code lastName} is empty when there is no further page.
 *
 * @param resourceVersion watch from here to see every change after this page was read
 */
public record NodePage(List<Node> nodes, String lastName, long resourceVersion) {
}
