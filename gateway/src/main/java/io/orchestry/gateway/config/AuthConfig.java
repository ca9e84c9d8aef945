package io.orchestry.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Duration;

/**
 * How callers are authenticated.
 *
 * @param bootstrapToken a cluster-wide admin token taken from configuration
 *                       ({@code ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN}), at least 32 characters; it
 *                       creates the first stored tokens. Dev mode generates one and prints it. Unset:
 *                       only stored tokens are accepted.
 * @param cacheTtl       how long a verified token is trusted without reading the database again
 *                       (default 5s): a token revoked through another gateway replica stops working
 *                       within this time, one revoked through this replica at once
 */
@ConfigurationProperties("orchestry.gateway.auth")
public record AuthConfig(
        @Nullable @Size(min = 32, message = "must be at least 32 characters") String bootstrapToken,
        @NotNull @Bindable(defaultValue = "5s") Duration cacheTtl) {
}
