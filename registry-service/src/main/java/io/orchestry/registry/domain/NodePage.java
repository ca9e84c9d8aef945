package io.orchestry.registry.domain;

import java.util.List;

/** One page of nodes; {@code lastName} is empty when there is no further page. */
public record NodePage(List<Node> nodes, String lastName) {
    public boolean hasMore() {
        return !lastName.isEmpty();
    }
}
