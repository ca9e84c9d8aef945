package io.orchestry.watch;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.controlloop.Backoff;
import io.orchestry.controlloop.SettableClock;
import io.orchestry.registry.v1.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.orchestry.watch.WatchClientTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * When the client tries again: its steps run on the test's thread (the client is not started) and
 * time is a settable clock, against a real gRPC server.
 */
class WatchBackoffTest {
    private static final Duration BASE = Duration.ofMillis(100);

    private final SettableClock clock = new SettableClock();
    private final RecordingListener listener = new RecordingListener();
    private FakeRegistry registry;
    private ManagedChannel channel;
    private WatchClient<Node> client;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = new FakeRegistry();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", registry.port()).usePlaintext().build();
        client = NodeWatch.client(channel, listener)
                .backoff(new Backoff(BASE, Duration.ofMillis(400), 0, () -> 0)) // no jitter: exact delays
                .healthyAfter(Duration.ofSeconds(10))
                .clock(clock)
                .build();
    }

    @AfterEach
    void stopAll() throws Exception {
        client.stop();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        registry.close();
    }

    @Test
    void failuresInARow_waitLonger_upToTheMax_andNothingRunsBeforeItsTime() throws Exception {
        registry.failLists(true);
        assertEquals(ms(100), client.step());
        assertEquals(ms(100), client.step(), "too early: nothing tried");
        clock.advance(ms(60));
        assertEquals(ms(40), client.step());
        assertEquals(1, registry.listedPages.size(), "one list so far");
        clock.advance(ms(40));
        assertEquals(ms(200), client.step());
        clock.advance(ms(200));
        assertEquals(ms(400), client.step());
        clock.advance(ms(400));
        assertEquals(ms(400), client.step(), "at most the max");
        assertEquals(4, registry.listedPages.size());
    }

    @Test
    void aStreamThatStayedUp_startsTheBackoffOver_oneThatBrokeAtOnceDoesNot() throws Exception {
        registry.put("a");
        registry.failLists(true);
        client.step();
        clock.advance(ms(100));
        client.step(); // two failed lists: the next wait would be 400 ms
        clock.advance(ms(200));
        registry.failLists(false);
        assertNull(client.step(), "listed and watching: nothing to wait for");
        awaitTrue(() -> registry.openWatches() == 1, "the watch open");

        registry.breakWatches(); // at once: still failing in a row
        awaitTrue(() -> !client.following(), "the break seen");
        assertEquals(ms(400), client.step());
        clock.advance(ms(400));
        assertNull(client.step());
        awaitTrue(() -> registry.openWatches() == 1, "watching again");
        assertEquals(List.of(1L, 1L), registry.watchedFrom, "from the last version, without a list");

        clock.advance(Duration.ofSeconds(10)); // a healthy while
        registry.breakWatches();
        awaitTrue(() -> !client.following(), "the second break seen");
        assertEquals(ms(100), client.step(), "the first failure again");
    }

    @ParameterizedTest
    @CsvSource({"OUT_OF_RANGE, true", "FAILED_PRECONDITION, false", "UNAVAILABLE, false", "RESOURCE_EXHAUSTED, false",
            "INTERNAL, false", "CANCELLED, false"})
    void relists_onlyWhenTheVersionIsTooOld(Status.Code code, boolean relists) {
        assertEquals(relists, WatchFollower.relists(code));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
