package io.orchestry.registry.domain;

import java.time.Instant;

/** One recorded transition of a node's status or scheduling mode. {@code id} is 0 before it is stored. */
public record NodeEvent(long id, String nodeName, NodeStatus previousStatus, NodeStatus status,
                        SchedulingMode schedulingMode, String reason, Instant at) {
}
