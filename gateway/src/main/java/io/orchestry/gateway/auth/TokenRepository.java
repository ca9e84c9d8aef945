package io.orchestry.gateway.auth;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stored API tokens. Ids sort in creation order, so pages follow them. Only the secret's hash is
 * ever stored. Every method fails with the error a caller should see: UNAVAILABLE when the database
 * cannot be reached, INVALID_ARGUMENT for a value it cannot hold.
 */
public interface TokenRepository {
    void insert(ApiToken token, byte[] secretHash);

    Optional<ApiToken> findBySecretHash(byte[] secretHash);

    Optional<ApiToken> find(String id);

    /**
     * Tokens neither revoked nor expired at {@code now}, in creation order after {@code afterId}
     * ("" for the first), at most {@code limit}; of one organization when it is not null.
     */
    List<ApiToken> active(@Nullable String organization, String afterId, Instant now, int limit);

    /** Revokes every active token of {@code organization}; returns their ids. */
    List<String> revokeOrganization(String organization, Instant at);

    /** Records a use of the token at {@code at}, unless one was recorded in the minute before. */
    void used(String id, Instant at);

    /** Marks the token revoked; false when it is missing or already revoked. */
    boolean revoke(String id, Instant at);
}
