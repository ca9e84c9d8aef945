package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * The nginx the proxy service drives, and the state of its configuration.
 *
 * @param state               not_found (routes are stored, not served), stopped, running or failed
 * @param mode                managed (Orchestry starts and supervises it) or external
 * @param pid                 the master process; 0 when not running
 * @param nginxVersion        as {@code nginx -v} reports it
 * @param configPath          where the rendered configuration is written
 * @param currentRevision     the number of the revision nginx runs; 0: none yet
 * @param lastReloadOutcome   the outcome of the last reload, as on a revision
 * @param lastError           why nginx is not running or the last reload failed; empty otherwise
 * @param upstreamServerCount healthy instance addresses across every upstream
 */
@Serdeable
public record ProxyStatusJson(
        @Nullable String state,
        @Nullable String mode,
        long pid,
        String nginxVersion,
        String configPath,
        long currentRevision,
        @Nullable Instant lastReloadTime,
        @Nullable String lastReloadOutcome,
        String lastError,
        int routeCount,
        int upstreamServerCount) {
}
