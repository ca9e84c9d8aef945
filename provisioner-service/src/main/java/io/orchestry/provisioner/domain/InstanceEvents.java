package io.orchestry.provisioner.domain;

import io.orchestry.paging.PageRequest;

import java.util.List;

/**
 * The instance outbox ({@code instance_event}, written with every watched change in its transaction) and the listing it
 * pairs with. Implemented in {@code persistence}.
 */
public interface InstanceEvents {

    /** The latest committed resource version. */
    long currentResourceVersion();

    /** The changes after {@code resourceVersion}, in order, at most {@code limit}. */
    List<InstanceChange> changesAfter(long resourceVersion, int limit);

    /** Instances by id, up to {@link PageRequest#fetchSize()} after the page's position, with the version read before them. */
    InstancePage list(InstanceQuery query, PageRequest page);

    /**
     * A user's DeleteInstance: marks the instance retiring (it gets no traffic; the reconciler stops and replaces it),
     * with its event. Not fenced: any replica serves it. NOT_FOUND for an unknown id. Returns the change's resource
     * version.
     */
    long markRetiring(String id);

    /** Drops outbox rows at or below {@code resourceVersion} (already past every watcher's replay buffer). */
    int pruneThrough(long resourceVersion);
}
