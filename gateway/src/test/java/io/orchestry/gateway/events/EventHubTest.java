package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.auth.TokenService;
import io.orchestry.gateway.config.AuthConfig;
import io.orchestry.gateway.config.GatewayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out: a client that does not read is dropped, and the others get every event regardless;
 * the hub's one periodic loop re-checks tokens and pings.
 */
class EventHubTest {
    // a registry that is not there (the hub keeps retrying in the background, which these tests do not need),
    // and no token store: these tests subscribe below the caller checks
    private final ManagedChannel nowhere = NettyChannelBuilder.forAddress("127.0.0.1", 1).usePlaintext().build();
    private final EventHub hub = new EventHub(nowhere,
            new GatewayConfig(Duration.ofSeconds(1), "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", Duration.ofMinutes(1), Duration.ofSeconds(30)),
            Clock.systemUTC(), new TokenService(null, Clock.systemUTC(), new AuthConfig(null, Duration.ofSeconds(5))));

    @AfterEach
    void close() {
        hub.close();
        nowhere.shutdownNow();
    }

    @Test
    void slowClient_isDropped_whileOthersGetEveryEvent() {
        AtomicReference<Throwable> slowFailure = new AtomicReference<>();
        hub.subscribe(e -> true).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // never requests: a client whose socket is full
            }

            @Override
            protected void hookOnError(Throwable failure) {
                slowFailure.set(failure);
            }
        });
        List<EventJson> fast = new CopyOnWriteArrayList<>();
        hub.subscribe(e -> true).subscribe(fast::add);
        List<EventJson> nodesOfApp = new CopyOnWriteArrayList<>();
        hub.subscribe(e -> EventHub.matches(e, "node", "shop")).subscribe(nodesOfApp::add);

        int total = EventHub.CLIENT_BUFFER + 50;
        for (int i = 1; i <= total; i++) {
            hub.publish(new EventJson("node", "modified", "n-" + i, i % 2 == 0 ? "shop" : null, null, i, Instant.now(), null));
        }

        assertInstanceOf(EventHub.SlowClientException.class, slowFailure.get());
        assertEquals(total, fast.size());
        assertEquals("n-" + total, fast.get(total - 1).name());
        assertEquals(total / 2, nodesOfApp.size());
        assertTrue(nodesOfApp.stream().allMatch(e -> "shop".equals(e.app())));
    }

    @Test
    void theHubsOnePeriodicLoop_endsRevokedStreamsAtTheRecheck_andPingsEveryStreamEvery20s() {
        MovableClock clock = new MovableClock();
        // no bootstrap token configured: a stream opened with it is no longer active; no token store: reading it fails
        EventHub timed = new EventHub(nowhere,
                new GatewayConfig(Duration.ofSeconds(1), "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", Duration.ofMinutes(1), Duration.ofSeconds(30)),
                clock, new TokenService(null, clock, new AuthConfig(null, Duration.ofSeconds(5))));
        try {
            AtomicReference<Throwable> revokedEnded = new AtomicReference<>();
            timed.subscribe(new Caller(TokenService.BOOTSTRAP_ID, Role.VIEWER, null), e -> true)
                    .subscribe(e -> { }, revokedEnded::set);
            AtomicReference<Throwable> otherEnded = new AtomicReference<>();
            timed.subscribe(new Caller("tok_unreadable", Role.VIEWER, null), e -> true).subscribe(e -> { }, otherEnded::set);
            List<Instant> pings = new CopyOnWriteArrayList<>();
            timed.pings().subscribe(pings::add);

            clock.advance(Duration.ofSeconds(4));
            timed.tick();
            assertNull(revokedEnded.get(), "not yet a cache TTL");
            clock.advance(Duration.ofSeconds(1));
            timed.tick();
            assertInstanceOf(EventHub.RevokedException.class, revokedEnded.get());
            assertNull(otherEnded.get(), "a token store that cannot answer ends no stream");
            assertEquals(List.of(), pings);

            clock.advance(Duration.ofSeconds(15));
            timed.tick();
            assertEquals(1, pings.size(), "20 s after the first stream");
            clock.advance(Duration.ofSeconds(10));
            timed.tick();
            assertEquals(1, pings.size());
            clock.advance(Duration.ofSeconds(10));
            timed.tick();
            assertEquals(2, pings.size());
        } finally {
            timed.close();
        }
    }

    /** A clock the test moves (the gateway's tests do not depend on control-loop's test jar). */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void matches_filtersByKindListAndApp() {
        EventJson event = new EventJson("node", "added", "n", null, null, 1, Instant.now(), null);
        assertTrue(EventHub.matches(event, null, null));
        assertTrue(EventHub.matches(event, "instance,node", ""));
        assertEquals(false, EventHub.matches(event, "instance", null));
        assertEquals(false, EventHub.matches(event, null, "shop"));
    }
}
