package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out: a client that does not read is dropped, and the others get every event regardless. */
class EventHubTest {
    // a registry that is not there (the hub keeps retrying in the background, which these tests do not need),
    // and no token store: these tests subscribe below the caller checks
    private final ManagedChannel nowhere = NettyChannelBuilder.forAddress("127.0.0.1", 1).usePlaintext().build();
    private final EventHub hub = new EventHub(nowhere,
            new GatewayConfig(Duration.ofSeconds(1), "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1"),
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
    void matches_filtersByKindListAndApp() {
        EventJson event = new EventJson("node", "added", "n", null, null, 1, Instant.now(), null);
        assertTrue(EventHub.matches(event, null, null));
        assertTrue(EventHub.matches(event, "instance,node", ""));
        assertEquals(false, EventHub.matches(event, "instance", null));
        assertEquals(false, EventHub.matches(event, null, "shop"));
    }
}
