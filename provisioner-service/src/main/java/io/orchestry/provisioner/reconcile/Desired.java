package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.Deployment;

import java.util.Optional;

/**
 * What should be: the app (spec, revision, generation, stopped / deleting, restartedAt; its spec is the spec of the
 * revision being rolled out) and its rollout that has not finished, if any.
 */
public record Desired(App app, Optional<Deployment> deployment) {
}
