package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.List;

/** Status transitions of many nodes at once: the monitor's, and those heartbeats cause. */
public interface NodeTransitionRepository {

    /**
     * Applies many status changes in one transaction, each only if it still holds (compare and set
     * on the status and, for the monitor's, on the last heartbeat stored), each with its event;
     * returns the nodes that changed, in resource-version order. A fenced write is refused
     * ({@code FailedPreconditionException}) once its leader is deposed, and then nothing is written.
     */
    List<Node> transitionAll(List<StatusChange> changes, Instant now, Fencing fencing);
}
