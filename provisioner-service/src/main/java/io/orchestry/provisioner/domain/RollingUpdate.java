package io.orchestry.provisioner.domain;

import java.time.Duration;

/**
 * Health-gated rollout settings (defaults applied by the mapper, as Kubernetes does: 25% surge and unavailable,
 * rounded up and down, no min ready, 10 minutes of progress deadline).
 */
public record RollingUpdate(int maxSurge, int maxUnavailable, Duration minReady, Duration progressDeadline) {
}
