package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** What {@code POST /api/v1/nodes/{node}/heartbeat} answers: the node's status and mode, and when to beat next. */
@Serdeable
public record HeartbeatJson(String status, String schedulingMode, long heartbeatIntervalSeconds,
                            long suspectAfterSeconds, long downAfterSeconds) {
    /** The body a node may send with its heartbeat. */
    @Serdeable
    public record Request(@Nullable UsageJson usage) {
    }
}
