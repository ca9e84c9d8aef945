package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** One recorded transition of a node. */
@Serdeable
public record NodeEventJson(String node, @Nullable String previousStatus, String status, String schedulingMode,
                            String reason, Instant time) {
    /** A page of events, newest first. */
    @Serdeable
    public record Page(List<NodeEventJson> items, @Nullable String nextPageToken) {
    }
}
