package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** How a driver reaches a node: a bearer token, or TLS material. Write-only: never shown back. */
@Serdeable
public record CredentialsJson(@Nullable String bearerToken, @Nullable Tls tls) {
    @Serdeable
    public record Tls(@Nullable String caCertificatePem, @Nullable String clientCertificatePem, @Nullable String clientKeyPem) {
    }
}
