package io.orchestry.gateway.auth;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A stored API token, without its secret (only the secret's hash is ever stored).
 * {@code lastUsedAt} is to the minute: it is written at most once a minute.
 */
public record ApiToken(String id, String name, Role role, @Nullable String organization, String createdBy,
                       Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable Instant lastUsedAt) {

    public Caller caller() {
        return new Caller(id, role, organization);
    }

    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
