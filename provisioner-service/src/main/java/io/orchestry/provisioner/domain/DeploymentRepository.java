package io.orchestry.provisioner.domain;

import java.util.Optional;

/** Rollouts. The use cases create them (with the app change, one transaction); the reconciler advances them (fenced). */
public interface DeploymentRepository {

    Optional<Deployment> find(String id);

    /** The newest deployment of the app that has not finished, if any. */
    Optional<Deployment> active(String app);

    /** Replaces the row. */
    void update(Deployment deployment);
}
