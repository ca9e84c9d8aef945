package io.orchestry.watch.server;

import io.orchestry.error.ResourceVersionTooOldException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WatchHubTest {
    record Change(long resourceVersion) implements Versioned {
    }

    private static List<Long> versions(List<Change> changes) {
        return changes.stream().map(Change::resourceVersion).toList();
    }

    @Test
    void watch_fromAKeptVersion_replaysTheRest_thenFollows_evenAcrossGaps() throws Exception {
        WatchHub<Change> hub = new WatchHub<>(8);
        hub.startAt(10);
        hub.publish(new Change(12));
        hub.publish(new Change(15));
        List<Change> seen = new ArrayList<>();
        try (AutoCloseable ignored = hub.watch(10, seen::add)) {
            hub.publish(new Change(16));
            hub.publish(new Change(16)); // the feed never publishes twice; the hub ignores it if it did
        }
        hub.publish(new Change(17));
        assertEquals(List.of(12L, 15L, 16L), versions(seen));
    }

    @Test
    void watch_fromAVersionNoLongerKept_isTooOld_namingTheOldestKept() {
        WatchHub<Change> hub = new WatchHub<>(2);
        hub.startAt(10);
        hub.publish(new Change(11));
        hub.publish(new Change(12));
        hub.publish(new Change(13)); // 11 drops out: everything after 11 is still kept
        ResourceVersionTooOldException e = assertThrows(ResourceVersionTooOldException.class, () -> hub.watch(10, c -> { }));
        assertEquals(11, e.oldest());
        assertEquals(11, hub.oldestReplayable());
        List<Change> seen = new ArrayList<>();
        hub.watch(11, seen::add);
        assertEquals(List.of(12L, 13L), versions(seen));
    }

    @Test
    void watch_fromBeforeTheStart_isTooOld_aSecondStartChangesNothing() {
        WatchHub<Change> hub = new WatchHub<>(4);
        hub.startAt(100);
        hub.startAt(5);
        assertThrows(ResourceVersionTooOldException.class, () -> hub.watch(99, c -> { }));
        assertEquals(100, hub.oldestReplayable());
    }

    @Test
    void publish_aWatcherThatThrows_theOthersStillGetTheChange() throws Exception {
        WatchHub<Change> hub = new WatchHub<>(4);
        hub.startAt(0);
        List<Change> seen = new ArrayList<>();
        try (AutoCloseable broken = hub.watch(0, c -> {
            throw new IllegalStateException("closed call");
        }); AutoCloseable fine = hub.watch(0, seen::add)) {
            hub.publish(new Change(1));
            hub.publish(new Change(2));
        }
        assertEquals(List.of(1L, 2L), versions(seen));
    }

    @Test
    void new_capacityBelowOne_refused() {
        assertThrows(IllegalArgumentException.class, () -> new WatchHub<Change>(0));
    }
}
