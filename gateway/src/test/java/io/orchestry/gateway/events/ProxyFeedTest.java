package io.orchestry.gateway.events;

import io.orchestry.proxy.v1.ConfigRevision;
import io.orchestry.proxy.v1.NginxState;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.proxy.v1.RevisionOutcome;
import io.orchestry.proxy.v1.Route;
import io.orchestry.proxy.v1.TlsConfig;
import io.orchestry.proxy.v1.WatchEventType;
import io.orchestry.proxy.v1.WatchProxyEventsResponse;
import io.orchestry.watch.Snapshot;
import io.orchestry.watch.WatchEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the hub publishes from the proxy's watch: routes for their organization, revisions and nginx's state for cluster-wide tokens. */
class ProxyFeedTest {
    private final List<EventJson> published = new ArrayList<>();
    private final ProxyFeed feed = new ProxyFeed(Clock.systemUTC(), project -> "org-of-" + project, published::add);

    @Test
    void routeRevisionAndStatusEvents_arePublishedAsTheyCome() {
        feed.snapshot(new Snapshot<>(List.of(listed(route("rt-1", 1))), 10));
        assertEquals(List.of(), published, "the first list only says where to start");

        feed.event(event(WatchEvent.Type.MODIFIED, WatchProxyEventsResponse.newBuilder().setRoute(route("rt-1", 2)), 11));
        feed.event(event(WatchEvent.Type.ADDED, WatchProxyEventsResponse.newBuilder().setRevision(revision(RevisionOutcome.REVISION_OUTCOME_PENDING)), 12));
        feed.event(event(WatchEvent.Type.MODIFIED, WatchProxyEventsResponse.newBuilder().setRevision(revision(RevisionOutcome.REVISION_OUTCOME_ROLLED_BACK)), 13));
        feed.event(event(WatchEvent.Type.MODIFIED, WatchProxyEventsResponse.newBuilder()
                .setStatus(ProxyStatus.newBuilder().setState(NginxState.NGINX_STATE_FAILED).setLastError("exited")), 14));
        feed.event(event(WatchEvent.Type.DELETED, WatchProxyEventsResponse.newBuilder().setRoute(route("rt-1", 2)), 15));
        feed.event(event(WatchEvent.Type.MODIFIED, WatchProxyEventsResponse.newBuilder(), 16));

        assertEquals(List.of("route modified rt-1 11", "proxy-revision pending 7 12", "proxy-revision rolled_back 7 13",
                "proxy-status failed nginx 14", "route deleted rt-1 15"), published.stream().map(ProxyFeedTest::describe).toList());
        EventJson route = published.get(0);
        assertEquals("web", route.app());
        assertEquals("org-of-shop", route.organization());
        assertEquals(2, route.route().version());
        assertEquals("CERT", route.route().tls().certificatePem(), "the certificate is shown; the key has no field to be in");
        EventJson revision = published.get(2);
        assertNull(revision.organization(), "a revision names every organization's routes: cluster-wide tokens only");
        assertNull(revision.revision().config(), "no config text in events");
        assertEquals("probe failed", revision.revision().error());
        assertNull(published.get(3).organization());
        assertEquals("exited", published.get(3).proxyStatus().lastError());
    }

    @Test
    void aLaterList_publishesTheRouteChangesMissedMeanwhile() {
        feed.snapshot(new Snapshot<>(List.of(listed(route("a", 1)), listed(route("b", 1)), listed(route("c", 1))), 10));
        feed.snapshot(new Snapshot<>(List.of(listed(route("b", 1)), listed(route("c", 2)), listed(route("d", 1))), 20));
        List<String> changes = new ArrayList<>(published.stream().map(ProxyFeedTest::describe).toList());
        changes.sort(Comparator.naturalOrder());
        assertEquals(List.of("route added d 20", "route deleted a 20", "route modified c 20"), changes);
    }

    private static WatchProxyEventsResponse listed(Route route) {
        return WatchProxyEventsResponse.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_ADDED).setRoute(route).build();
    }

    private static WatchEvent<WatchProxyEventsResponse> event(WatchEvent.Type type, WatchProxyEventsResponse.Builder change, long version) {
        return new WatchEvent<>(type, change.setResourceVersion(version).build(), version);
    }

    private static Route route(String id, long version) {
        return Route.newBuilder().setId(id).setApp("web").setProject("shop").addHosts("shop.example.com").setVersion(version)
                .setTls(TlsConfig.newBuilder().setCertificatePem("CERT")).setHasTls(true).build();
    }

    private static ConfigRevision revision(RevisionOutcome outcome) {
        return ConfigRevision.newBuilder().setId("rev-7").setNumber(7).setConfig("server { server_name shop.example.com; }")
                .setOutcome(outcome).setError(outcome == RevisionOutcome.REVISION_OUTCOME_ROLLED_BACK ? "probe failed" : "").build();
    }

    private static String describe(EventJson event) {
        return event.kind() + " " + event.type() + " " + event.name() + " " + event.resourceVersion();
    }
}
