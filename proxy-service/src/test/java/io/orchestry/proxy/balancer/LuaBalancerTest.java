package io.orchestry.proxy.balancer;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.UpstreamKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LuaBalancerTest {
    @Test
    void body_severalUpstreams_oneSortedLineEachWithMethodAndEndpoints() {
        Map<UpstreamKey, List<Endpoint>> all = Map.of(
                new UpstreamKey("web", "http"), List.of(new Endpoint("10.0.0.2", 80, "i-2"), new Endpoint("10.0.0.1", 80, "i-1")),
                new UpstreamKey("api", "grpc"), List.of(new Endpoint("::1", 9000, "i-3")),
                new UpstreamKey("idle", "http"), List.of());
        assertEquals("""
                api__grpc least_conn [::1]:9000
                idle__http round_robin
                web__http round_robin 10.0.0.2:80 10.0.0.1:80
                """, LuaBalancer.body(all, Map.of(new UpstreamKey("api", "grpc"), LoadBalancing.LEAST_CONN)));
    }

    @Test
    void body_emptySet_emptyBody() {
        assertEquals("", LuaBalancer.body(Map.of(), Map.of()));
    }

    @Test
    void body_hostileEndpoint_refused() {
        for (String host : List.of("10.0.0.1 evil", "a;b", "a\nweb__http round_robin 6.6.6.6:80", "")) {
            assertThrows(IllegalArgumentException.class, () -> LuaBalancer.body(
                    Map.of(new UpstreamKey("web", "http"), List.of(new Endpoint(host, 80, "i"))), Map.of()), host);
        }
        assertThrows(IllegalArgumentException.class, () -> LuaBalancer.body(
                Map.of(new UpstreamKey("web", "http"), List.of(new Endpoint("10.0.0.1", 0, "i"))), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> LuaBalancer.body(
                Map.of(new UpstreamKey("we b", "http"), List.of()), Map.of()));
    }
}
