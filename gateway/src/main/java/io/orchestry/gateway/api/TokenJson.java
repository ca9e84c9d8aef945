package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.orchestry.gateway.auth.ApiToken;
import io.orchestry.gateway.auth.Caller;

import java.time.Instant;
import java.util.List;

/** API tokens in REST JSON. A secret appears only in {@link Created}, once. */
public final class TokenJson {
    private TokenJson() {
    }

    /**
     * A token as listed: never its secret.
     *
     * @param organization null for a cluster-wide token
     * @param createdBy    the id of the token that created it
     * @param lastUseTime  when it was last used, to the minute (as this gateway's token cache lets it see); null: never
     */
    @Serdeable
    public record Token(String id, String name, String role, @Nullable String organization, String createdBy,
                        Instant createTime, @Nullable Instant expireTime, @Nullable Instant lastUseTime) {
        static Token of(ApiToken t) {
            return new Token(t.id(), t.name(), t.role().value(), t.organization(), t.createdBy(), t.createdAt(), t.expiresAt(),
                    t.lastUsedAt());
        }
    }

    /**
     * The body of {@code POST /tokens}.
     *
     * @param name         what the token is for, 1 to 100 characters
     * @param role         admin, operator or viewer
     * @param organization the organization it acts in; omitted: the caller's (a cluster-wide admin
     *                     omitting it makes a cluster-wide token)
     * @param expireTime   when it stops working; omitted: never
     */
    @Schema(example = """
            {"name": "ci deploys", "role": "operator", "organization": "acme", "expireTime": "2027-01-01T00:00:00Z"}""")
    @Serdeable
    public record Create(@Nullable String name, @Nullable String role, @Nullable String organization,
                         @Nullable Instant expireTime) {
    }

    /** A new token with its secret: send it as {@code Authorization: Bearer <secret>}. It is not shown again. */
    @Serdeable
    public record Created(String id, String name, String role, @Nullable String organization, String createdBy,
                          Instant createTime, @Nullable Instant expireTime, String secret) {
        static Created of(ApiToken t, String secret) {
            return new Created(t.id(), t.name(), t.role().value(), t.organization(), t.createdBy(), t.createdAt(),
                    t.expiresAt(), secret);
        }
    }

    /** Who the presented token is. */
    @Serdeable
    public record Current(String id, String role, @Nullable String organization) {
        static Current of(Caller caller) {
            return new Current(caller.tokenId(), caller.role().value(), caller.organization());
        }
    }

    @Serdeable
    public record Page(List<Token> items, @Nullable String nextPageToken) {
    }
}
