package io.orchestry.provisioner.domain;

import java.time.Duration;
import java.util.Map;

/** Deployments counted by state, and the mean start-to-end time of the finished ones (zero when none). */
public record DeploymentStats(Map<Deployment.DeploymentState, Integer> counts, int total, Duration meanDuration) {
    public DeploymentStats {
        counts = Map.copyOf(counts);
    }
}
