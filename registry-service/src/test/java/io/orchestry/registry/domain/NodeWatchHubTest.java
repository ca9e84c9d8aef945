package io.orchestry.registry.domain;

import io.orchestry.error.ResourceVersionTooOldException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeWatchHubTest {

    private static NodeChange change(long resourceVersion) {
        Node node = new Node("n", DriverKind.DOCKER, "", "", "", Map.of(), Resources.NONE, Resources.NONE, Allocation.NONE,
                NodeUsage.NONE, NodeStatus.READY, SchedulingMode.SCHEDULABLE, null, false, false, null, Instant.EPOCH,
                Instant.EPOCH, 1, resourceVersion);
        return new NodeChange(NodeChange.Type.MODIFIED, node, resourceVersion);
    }

    private static List<Long> versions(List<NodeChange> changes) {
        return changes.stream().map(NodeChange::resourceVersion).toList();
    }

    @Test
    void watch_fromAKeptVersion_replaysTheRest_thenFollows_evenAcrossGaps() throws Exception {
        NodeWatchHub hub = new NodeWatchHub(8);
        hub.startAt(10);
        hub.publish(change(12));
        hub.publish(change(15));
        List<NodeChange> seen = new ArrayList<>();
        try (AutoCloseable ignored = hub.watch(10, seen::add)) {
            hub.publish(change(16));
            hub.publish(change(16)); // the feed never publishes twice; the hub ignores it if it did
        }
        hub.publish(change(17));
        assertEquals(List.of(12L, 15L, 16L), versions(seen));
    }

    @Test
    void watch_fromAVersionNoLongerKept_isTooOld_naming_theOldestKept() {
        NodeWatchHub hub = new NodeWatchHub(2);
        hub.startAt(10);
        hub.publish(change(11));
        hub.publish(change(12));
        hub.publish(change(13)); // 11 drops out: everything after 11 is still kept
        ResourceVersionTooOldException e = assertThrows(ResourceVersionTooOldException.class, () -> hub.watch(10, c -> { }));
        assertEquals(11, e.oldest());
        List<NodeChange> seen = new ArrayList<>();
        hub.watch(11, seen::add);
        assertEquals(List.of(12L, 13L), versions(seen));
    }

    @Test
    void watch_fromBeforeTheStart_isTooOld() {
        NodeWatchHub hub = new NodeWatchHub(4);
        hub.startAt(100);
        assertThrows(ResourceVersionTooOldException.class, () -> hub.watch(99, c -> { }));
    }
}
