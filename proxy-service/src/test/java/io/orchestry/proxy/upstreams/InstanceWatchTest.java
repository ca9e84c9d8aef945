package io.orchestry.proxy.upstreams;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.provisioner.v1.InstanceHealth;
import io.orchestry.provisioner.v1.InstanceState;
import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.UpstreamKey;
import io.orchestry.proxy.fakes.FakeProvisioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upstreams following a provisioner's instances over real gRPC (ListInstances, then WatchInstances). */
class InstanceWatchTest {
    static final UpstreamKey WEB = new UpstreamKey("web", "http");

    FakeProvisioner provisioner;
    ManagedChannel channel;
    InstanceWatch watch;
    final LinkedBlockingQueue<String> reasons = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        provisioner = FakeProvisioner.start();
        provisioner.putInstance(FakeProvisioner.healthy("web-1-1", "web", "http", 8001, "admin", 9001).build());
        channel = NettyChannelBuilder.forTarget(provisioner.target()).usePlaintext().build();
        watch = new InstanceWatch(channel, Duration.ofSeconds(5), Clock.systemUTC());
        watch.addListener((keys, reason) -> reasons.add(reason + " " + keys.stream().map(UpstreamKey::nginxName).sorted().toList()));
        watch.onApplicationEvent(null);
    }

    @AfterEach
    void stop() throws InterruptedException {
        watch.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        provisioner.close();
    }

    @Test
    void instances_areListedThenFollowed_healthyIn_unhealthyRetiringDeletedOut() throws InterruptedException {
        assertEquals("instances listed (1) [web__admin, web__http]", reasons.poll(10, TimeUnit.SECONDS));
        assertTrue(watch.listed());
        assertEquals(List.of(new Endpoint("127.0.0.1", 8001, "web-1-1")), watch.current().get(WEB));

        provisioner.putInstance(FakeProvisioner.healthy("web-1-2", "web", "http", 8002, "admin", 9002).build());
        assertEquals("instance web-1-2 added (healthy) [web__admin, web__http]", reasons.poll(10, TimeUnit.SECONDS));
        assertEquals(2, watch.current().get(WEB).size());

        provisioner.putInstance(FakeProvisioner.healthy("web-1-2", "web", "http", 8002, "admin", 9002)
                .setHealth(InstanceHealth.INSTANCE_HEALTH_UNHEALTHY).build());
        assertEquals("instance web-1-2 unhealthy [web__admin, web__http]", reasons.poll(10, TimeUnit.SECONDS));
        assertEquals(1, watch.current().get(WEB).size());

        provisioner.putInstance(FakeProvisioner.healthy("web-1-3", "web", "http", 8003, "admin", 9003)
                .setState(InstanceState.INSTANCE_STATE_STARTING).build());
        provisioner.putInstance(FakeProvisioner.healthy("web-1-1", "web", "http", 8001, "admin", 9001).setRetiring(true).build());
        assertEquals("instance web-1-1 retiring [web__admin, web__http]", reasons.poll(10, TimeUnit.SECONDS));
        assertNull(watch.current().get(WEB), "no serving instance: the upstream is absent");

        provisioner.putInstance(FakeProvisioner.healthy("web-1-2", "web", "http", 8002, "admin", 9002).build());
        assertEquals("instance web-1-2 healthy [web__admin, web__http]", reasons.poll(10, TimeUnit.SECONDS));
        provisioner.deleteInstance("web-1-2");
        assertEquals("instance web-1-2 deleted [web__admin, web__http]", reasons.poll(10, TimeUnit.SECONDS));
        assertFalse(watch.current().containsKey(WEB));
    }

    @Test
    void changesThatServeNoOne_tellNoListener() throws InterruptedException {
        assertEquals("instances listed (1) [web__admin, web__http]", reasons.poll(10, TimeUnit.SECONDS));
        provisioner.putInstance(FakeProvisioner.healthy("web-2-1", "web", "http", 8010)
                .setState(InstanceState.INSTANCE_STATE_PENDING).build());
        provisioner.putInstance(FakeProvisioner.healthy("api-1-1", "api", "grpc", 7001).build());
        assertEquals("instance api-1-1 added (healthy) [api__grpc]", reasons.poll(10, TimeUnit.SECONDS));
        assertEquals(Set.of(WEB, new UpstreamKey("web", "admin"), new UpstreamKey("api", "grpc")), watch.current().keySet());
        await(() -> reasons.isEmpty());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
