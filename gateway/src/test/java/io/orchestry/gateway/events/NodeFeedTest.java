package io.orchestry.gateway.events;

import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.SchedulingMode;
import io.orchestry.watch.Snapshot;
import io.orchestry.watch.WatchEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the hub publishes from the node watch: every event, and across a relist what changed meanwhile. */
class NodeFeedTest {
    private final List<EventJson> published = new ArrayList<>();
    private final NodeFeed feed = new NodeFeed(Clock.systemUTC(), published::add);

    @Test
    void theFirstList_publishesNothing_eventsArePublishedAsTheyCome() {
        feed.snapshot(new Snapshot<>(List.of(node("a", 1), node("b", 1)), 10));
        assertEquals(List.of(), published);

        feed.event(new WatchEvent<>(WatchEvent.Type.MODIFIED, node("a", 2), 11));
        feed.event(new WatchEvent<>(WatchEvent.Type.DELETED, node("b", 1), 12));
        assertEquals(List.of("modified a 11", "deleted b 12"), published.stream().map(NodeFeedTest::describe).toList());
        assertEquals("node", published.get(0).kind());
        assertEquals("a", published.get(0).node().name());
    }

    @Test
    void aLaterList_publishesWhatChangedSinceTheNodesKnown_atTheListsVersion() {
        feed.snapshot(new Snapshot<>(List.of(node("a", 1), node("b", 1), node("c", 1)), 10));
        feed.event(new WatchEvent<>(WatchEvent.Type.ADDED, node("d", 1), 11));
        published.clear();

        Node bHeartbeatOnly = node("b", 1).toBuilder().setLastHeartbeatTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(99)).build();
        Node cCordoned = node("c", 2).toBuilder().setSchedulingMode(SchedulingMode.SCHEDULING_MODE_CORDONED).build();
        feed.snapshot(new Snapshot<>(List.of(bHeartbeatOnly, cCordoned, node("d", 1), node("e", 1)), 20));

        List<String> changes = new ArrayList<>(published.stream().map(NodeFeedTest::describe).toList());
        changes.sort(Comparator.naturalOrder());
        assertEquals(List.of("added e 20", "deleted a 20", "modified c 20"), changes);
    }

    private static Node node(String name, long version) {
        return Node.newBuilder().setName(name).setVersion(version).build();
    }

    private static String describe(EventJson event) {
        return event.type() + " " + event.name() + " " + event.resourceVersion();
    }
}
