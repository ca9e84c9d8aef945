package io.orchestry.proxy.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * One rendering of the nginx configuration and what became of it.
 *
 * @param number   1, 2, ...: the order revisions were rendered in
 * @param config   the rendered nginx.conf; it holds no private key (keys are files it names)
 * @param checksum hex SHA-256 of config
 * @param error    nginx's output when it refused it, or why the reload or a probe failed; empty otherwise
 */
public record Revision(
        String id,
        long number,
        String config,
        String checksum,
        RevisionOutcome outcome,
        String error,
        RevisionTrigger trigger,
        String reason,
        Instant createTime,
        @Nullable Instant finishTime) {
}
