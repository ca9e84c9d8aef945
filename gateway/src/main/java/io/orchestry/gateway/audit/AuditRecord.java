package io.orchestry.gateway.audit;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * One mutation: who (token id, and its organization), what (method, path, target, and the
 * organization the target belongs to when it belongs to one), when, with
 * which request id, and the outcome (HTTP status; null while it runs, or when the gateway died
 * before it could write one).
 */
public record AuditRecord(long id, Instant at, String requestId, @Nullable String actor, @Nullable String organization,
                          String method, String path, String targetType, @Nullable String targetId,
                          @Nullable String targetOrganization, @Nullable Integer status) {
}
