package io.orchestry.proxy.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * The nginx the proxy drives, now (the v1 ProxyStatus in domain terms).
 *
 * @param state           NOT_FOUND, STOPPED, RUNNING, FAILED
 * @param mode            MANAGED or EXTERNAL (OFF: not served)
 * @param currentRevision 0: none applied yet
 * @param generations     how many generations of workers are alive (1: no old workers finishing requests)
 * @param lua             whether replica changes reach nginx without a reload
 */
public record ProxyState(
        String state,
        String mode,
        long pid,
        String nginxVersion,
        String configPath,
        long currentRevision,
        @Nullable Instant lastReloadTime,
        @Nullable RevisionOutcome lastReloadOutcome,
        String lastError,
        int routeCount,
        int upstreamServerCount,
        int generations,
        boolean lua) {

    /** What the proxy reports about its nginx (implemented by the apply side). */
    public interface Source {
        ProxyState now();
    }
}
