package io.orchestry.watch.server;

import io.orchestry.watch.server.WatchHubTest.Change;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeFeedTest {
    /** The committed log, as the outbox table holds it. */
    private final List<Change> committed = new CopyOnWriteArrayList<>();
    private final List<Integer> queries = new ArrayList<>();
    private final ChangeFeed.Log<Change> log = (after, limit) -> {
        queries.add(limit);
        return committed.stream().filter(c -> c.resourceVersion() > after).limit(limit).toList();
    };

    private void commit(long... versions) {
        LongStream.of(versions).forEach(v -> committed.add(new Change(v)));
    }

    @Test
    void poll_appliesThenPublishesEveryChangeAfterTheStart_inOrder() throws Exception {
        WatchHub<Change> hub = new WatchHub<>(16);
        List<String> order = new ArrayList<>();
        ChangeFeed<Change> feed = new ChangeFeed<>(log, hub, c -> order.add("apply " + c.resourceVersion()));
        commit(3, 4);
        feed.startAt(4);
        try (AutoCloseable ignored = hub.watch(4, c -> order.add("watch " + c.resourceVersion()))) {
            commit(5, 7);
            assertEquals(2, feed.poll());
            assertEquals(0, feed.poll());
        }
        assertEquals(List.of("apply 5", "watch 5", "apply 7", "watch 7"), order);
        assertEquals(7, feed.position());
    }

    @Test
    void poll_moreThanABatch_readsOnUntilABatchIsShort() {
        ChangeFeed<Change> feed = new ChangeFeed<>(log, new WatchHub<>(16), c -> { });
        feed.startAt(0);
        commit(LongStream.rangeClosed(1, ChangeFeed.BATCH + 5).toArray());
        assertEquals(ChangeFeed.BATCH + 5, feed.poll());
        assertEquals(2, queries.size());
        assertEquals(ChangeFeed.BATCH + 5, feed.position());
    }

    @Test
    void catchUp_toAVersionAlreadyApplied_readsNothing_toANewOne_polls() {
        ChangeFeed<Change> feed = new ChangeFeed<>(log, new WatchHub<>(16), c -> { });
        feed.startAt(10);
        feed.catchUp(9);
        assertTrue(queries.isEmpty());
        commit(11);
        feed.catchUp(11);
        assertEquals(11, feed.position());
        feed.catchUp(12); // committed elsewhere but not readable yet: logged, repaired by the next poll
        assertEquals(11, feed.position());
    }

    @Test
    void poll_beforeTheStart_refused_startAtOnlyOnce() {
        ChangeFeed<Change> feed = new ChangeFeed<>(log, new WatchHub<>(16), c -> { });
        assertThrows(IllegalStateException.class, feed::poll);
        feed.startAt(20);
        feed.startAt(3);
        assertEquals(20, feed.position());
        assertTrue(feed.started());
    }

    @Test
    void prunableThrough_behindTheFeedByKeep_andNeverPastTheHubsReplay() {
        WatchHub<Change> hub = new WatchHub<>(2);
        ChangeFeed<Change> feed = new ChangeFeed<>(log, hub, c -> { });
        feed.startAt(0);
        commit(1, 2, 3, 4, 5);
        feed.poll();
        assertEquals(3, hub.oldestReplayable()); // 4 and 5 kept for replay
        assertEquals(3, feed.prunableThrough(0));
        assertEquals(1, feed.prunableThrough(4));
        assertTrue(feed.prunableThrough(10) <= 0);
    }
}
