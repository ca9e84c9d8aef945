package io.orchestry.provisioner.domain;

import io.orchestry.paging.PageRequest;

import java.util.List;

/** Reads of the rollout history. Implemented in {@code persistence}. */
public interface DeploymentHistory {

    /** Newest first (create time, then id), up to {@link PageRequest#fetchSize()} after the page's position. */
    List<Deployment> list(DeploymentQuery query, PageRequest page);

    /** The position {@link #list} reads back from a page token. */
    static String position(Deployment deployment) {
        return deployment.createTime().getEpochSecond() + "." + String.format("%09d", deployment.createTime().getNano())
                + "/" + deployment.id();
    }

    DeploymentStats stats(DeploymentQuery query);
}
