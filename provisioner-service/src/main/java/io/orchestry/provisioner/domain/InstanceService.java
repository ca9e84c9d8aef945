package io.orchestry.provisioner.domain;

import io.orchestry.error.NotFoundException;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

/** ListInstances and DeleteInstance. */
@Singleton
public class InstanceService {
    public static final String INSTANCES = "instances";

    private final InstanceRepository instances;
    private final InstanceEvents events;
    private final InstanceChangeFeed feed;
    private final AppEdits edits;

    public InstanceService(InstanceRepository instances, InstanceEvents events, InstanceChangeFeed feed, AppEdits edits) {
        this.instances = instances;
        this.events = events;
        this.feed = feed;
        this.edits = edits;
    }

    public InstancePage list(InstanceQuery query, PageRequest page) {
        return events.list(query, page);
    }

    /**
     * Marks the instance retiring (it gets no traffic) and tells the reconciler, which stops it and starts a replacement.
     * NOT_FOUND for an unknown id.
     */
    public void delete(String id) {
        Instance instance = instances.find(id).orElseThrow(() -> new NotFoundException("instance", id));
        long version = events.markRetiring(id);
        feed.catchUp(version);
        edits.notifyChanged(instance.app());
    }
}
