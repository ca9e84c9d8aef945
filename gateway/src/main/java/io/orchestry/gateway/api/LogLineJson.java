package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * One line an instance wrote.
 *
 * @param stream stdout or stderr
 * @param text   without the trailing newline
 */
@Serdeable
public record LogLineJson(String instanceId, String stream, @Nullable Instant time, String text) {

    /** The lines of {@code GET /api/v1/apps/{app}/logs} without {@code follow}, oldest first. */
    @Serdeable
    public record Lines(List<LogLineJson> items) {
    }
}
