package io.orchestry.gateway.audit;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A filter over the audit log; null fields do not filter. {@code statusFrom}..{@code statusTo}
 * (inclusive) selects outcomes, {@code organization} limits it to what one organization's tokens
 * did and what was done to that organization's resources. Which page of it is read is a
 * {@link io.orchestry.paging.PageRequest}, apart from the filter.
 */
public record AuditQuery(@Nullable String targetType, @Nullable Integer statusFrom, @Nullable Integer statusTo,
                         @Nullable String actor, @Nullable Instant since, @Nullable Instant until,
                         @Nullable String organization) {
}
