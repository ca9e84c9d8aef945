package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Set;

/**
 * Which deployments a list or a count covers.
 *
 * @param project empty: every project
 * @param app     empty: every app
 * @param states  empty: every state
 * @param since   created at or after; null: no bound
 */
public record DeploymentQuery(String project, String app, Set<Deployment.DeploymentState> states, @Nullable Instant since) {
    public DeploymentQuery {
        states = Set.copyOf(states);
    }
}
