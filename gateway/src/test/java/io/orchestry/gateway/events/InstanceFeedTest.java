package io.orchestry.gateway.events;

import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.InstanceHealth;
import io.orchestry.provisioner.v1.InstanceUsage;
import io.orchestry.watch.Snapshot;
import io.orchestry.watch.WatchEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the hub publishes from the instance watch, and to which organization each event belongs. */
class InstanceFeedTest {
    private final List<EventJson> published = new ArrayList<>();
    private final InstanceFeed feed = new InstanceFeed(Clock.systemUTC(), project -> "org-of-" + project, published::add);

    @Test
    void events_arePublishedAsTheyCome_withTheOrganizationOfTheirProject() {
        feed.snapshot(new Snapshot<>(List.of(instance("a", 1), instance("b", 1)), 10));
        assertEquals(List.of(), published);

        feed.event(new WatchEvent<>(WatchEvent.Type.MODIFIED, instance("a", 2), 11));
        feed.event(new WatchEvent<>(WatchEvent.Type.DELETED, instance("b", 1), 12));
        assertEquals(List.of("modified a 11", "deleted b 12"), published.stream().map(InstanceFeedTest::describe).toList());
        EventJson first = published.get(0);
        assertEquals("instance", first.kind());
        assertEquals("web", first.app());
        assertEquals("org-of-shop", first.organization());
        assertEquals("a", first.instance().id());
    }

    @Test
    void aLaterList_publishesWhatChanged_butNotANewUsageSample() {
        feed.snapshot(new Snapshot<>(List.of(instance("a", 1), instance("b", 1), instance("c", 1)), 10));
        published.clear();
        Instance bUsageOnly = instance("b", 1).toBuilder().setUsage(InstanceUsage.newBuilder().setCpuMillis(999)).build();
        Instance cUnhealthy = instance("c", 1).toBuilder().setHealth(InstanceHealth.INSTANCE_HEALTH_UNHEALTHY).build();
        feed.snapshot(new Snapshot<>(List.of(bUsageOnly, cUnhealthy, instance("d", 1)), 20));
        List<String> changes = new ArrayList<>(published.stream().map(InstanceFeedTest::describe).toList());
        changes.sort(Comparator.naturalOrder());
        assertEquals(List.of("added d 20", "deleted a 20", "modified c 20"), changes);
    }

    private static Instance instance(String id, long revision) {
        return Instance.newBuilder().setId(id).setApp("web").setProject("shop").setRevision(revision).build();
    }

    private static String describe(EventJson event) {
        return event.type() + " " + event.name() + " " + event.resourceVersion();
    }
}
