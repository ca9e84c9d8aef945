package io.orchestry.watch;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestry.controlloop.Backoff;
import io.orchestry.registry.v1.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a real gRPC server on 127.0.0.1, on its own thread. */
class WatchClientTest {
    private FakeRegistry registry;
    private ManagedChannel channel;
    private final RecordingListener listener = new RecordingListener();
    private WatchClient<Node> client;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = new FakeRegistry();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", registry.port()).usePlaintext().build();
    }

    @AfterEach
    void stopAll() throws Exception {
        listener.release(); // a test that failed while the listener was held must not leave its thread behind
        if (client != null) {
            client.stop();
        }
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        registry.close();
    }

    private WatchClient<Node> start(WatchClient.Builder<Node> builder) {
        client = builder.backoff(Backoff.of(Duration.ofMillis(10), Duration.ofMillis(100))).build();
        client.start();
        return client;
    }

    @Test
    void start_deliversASnapshotOfEveryPage_thenEachChangeInOrder() throws Exception {
        for (String name : List.of("a", "b", "c", "d", "e")) {
            registry.put(name);
        }
        start(NodeWatch.client(channel, listener));
        listener.await(d -> d.size() == 1, "the snapshot");
        Snapshot<Node> snapshot = listener.snapshots().get(0);
        assertEquals(List.of("a", "b", "c", "d", "e"), snapshot.items().stream().map(Node::getName).toList());
        assertEquals(5, snapshot.resourceVersion());
        assertEquals(List.of("", "2", "4"), registry.listedPages);

        awaitTrue(client::following, "following");
        registry.put("f");
        registry.put("a");
        registry.delete("b");
        listener.await(d -> d.size() == 4, "three events");
        List<Object> events = listener.delivered().subList(1, 4);
        assertEquals(new WatchEvent<>(WatchEvent.Type.ADDED, node("f", 1), 6), events.get(0));
        assertEquals(new WatchEvent<>(WatchEvent.Type.MODIFIED, node("a", 2), 7), events.get(1));
        assertEquals(new WatchEvent<>(WatchEvent.Type.DELETED, node("b", 1), 8), events.get(2));
        assertEquals(8, client.resourceVersion());
        assertEquals(List.of(5L), registry.watchedFrom);
    }

    @Test
    void aBrokenStream_isWatchedAgainFromTheLastVersion_withNoGapAndNoDuplicate() throws Exception {
        registry.put("a");
        start(NodeWatch.client(channel, listener));
        awaitTrue(client::following, "following");
        registry.put("b");
        registry.put("c");
        listener.await(d -> d.size() == 3, "two events");

        registry.breakWatches();
        registry.put("d"); // while no one watches: replayed from the log
        registry.put("a");
        listener.await(d -> d.size() == 5, "the two changes made while disconnected");
        registry.breakWatches();
        registry.put("e");
        listener.await(d -> d.size() == 6, "a change after the second break");

        assertEquals(LongStream.rangeClosed(2, 6).boxed().toList(), listener.eventVersions());
        assertEquals(1, listener.snapshots().size(), "a resumed watch does not list again");
        assertEquals(List.of(1L, 3L, 5L), registry.watchedFrom.subList(0, 3));
    }

    @Test
    void aVersionTooOldToReplay_OUT_OF_RANGE_listsAgain() throws Exception {
        registry.put("a");
        start(NodeWatch.client(channel, listener));
        awaitTrue(client::following, "following");
        registry.refuseWatches(true); // changes happen and are compacted away while the client cannot watch
        registry.breakWatches();
        registry.put("b");
        registry.delete("a");
        registry.compact();
        registry.refuseWatches(false);

        listener.await(d -> listener.snapshots().size() == 2, "a relist");
        Snapshot<Node> relisted = listener.snapshots().get(1);
        assertEquals(3, relisted.resourceVersion());
        assertEquals(List.of("b"), relisted.items().stream().map(Node::getName).toList());
        assertEquals(List.of(), listener.eventVersions(), "no event is made up for what the relist shows");
        awaitTrue(client::following, "following again");
        registry.put("c");
        listener.await(d -> listener.eventVersions().equals(List.of(4L)), "the next change");
        assertEquals(3L, registry.watchedFrom.get(registry.watchedFrom.size() - 1));
    }

    @Test
    void aListenerAWholeBufferBehind_dropsTheStream_andGetsANewSnapshot_withBoundedMemory() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        registry.put("a");
        start(NodeWatch.client(channel, listener).bufferSize(8).meterRegistry(meters));
        awaitTrue(client::following, "following");
        listener.blockEvents();
        for (int i = 0; i < 200; i++) {
            registry.put("n" + (i % 20));
        }
        awaitTrue(() -> meters.counter("orchestry.watch.overflows", "watch", "nodes").count() >= 1, "an overflow");
        awaitTrue(() -> registry.openWatches() == 0, "the stream dropped");
        listener.release();

        listener.await(d -> listener.snapshots().size() == 2, "a new snapshot");
        Snapshot<Node> relisted = listener.snapshots().get(1);
        // the relist can run before the test's last puts (when the overflow comes before the
        // listener took its first event): it lists what was there then and follows the rest
        assertTrue(relisted.resourceVersion() >= 21 && relisted.resourceVersion() <= 201, "relisted at " + relisted.resourceVersion());
        assertEquals(21, relisted.items().size());
        awaitTrue(() -> client.resourceVersion() == 201, "caught up with every put");
        // before it: at most the event the listener was in plus a full buffer
        int before = listener.delivered().indexOf(relisted) - 1;
        assertTrue(before <= 9, "events delivered before the relist: " + before);
        assertTrue(meters.summary("orchestry.watch.buffered", "watch", "nodes").max() <= 8);
        awaitTrue(client::following, "following again");
        registry.put("last");
        awaitTrue(() -> client.resourceVersion() == 202, "follows after the relist");
    }

    @Test
    void aListenerThatFailsOnAnEvent_getsANewSnapshot() throws Exception {
        registry.put("a");
        java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        start(NodeWatch.client(channel, new WatchListener<>() {
            @Override
            public void snapshot(Snapshot<Node> snapshot) {
                listener.snapshot(snapshot);
            }

            @Override
            public void event(WatchEvent<Node> event) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("cannot apply " + event.resourceVersion());
                }
                listener.event(event);
            }
        }));
        awaitTrue(client::following, "following");
        registry.put("b");
        listener.await(d -> listener.snapshots().size() == 2, "a new snapshot");
        assertEquals(List.of("a", "b"), listener.snapshots().get(1).items().stream().map(Node::getName).toList());
        assertEquals(List.of(), listener.eventVersions());
    }

    @Test
    void stop_endsTheStreamAndTheThread() throws Exception {
        registry.put("a");
        start(NodeWatch.client(channel, listener));
        awaitTrue(client::following, "following");
        assertTrue(threadAlive("watch-nodes-1"));

        client.stop();
        // a thread of the same name from an earlier test's client may still be ending: bounded wait
        awaitTrue(() -> !threadAlive("watch-nodes-1"), "no thread left");
        awaitTrue(() -> registry.openWatches() == 0, "the server sees the stream cancelled");
        registry.put("b");
        assertFalse(client.following());
        assertEquals(1, listener.delivered().size());
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    static Node node(String name, long version) {
        return Node.newBuilder().setName(name).setVersion(version).build();
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
