package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.orchestry.gateway.api.JsonValues;
import io.orchestry.gateway.api.RouteJsonMapper;
import io.orchestry.proxy.v1.ConfigRevision;
import io.orchestry.proxy.v1.ListRoutesRequest;
import io.orchestry.proxy.v1.ListRoutesResponse;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.proxy.v1.Route;
import io.orchestry.proxy.v1.WatchEventType;
import io.orchestry.proxy.v1.WatchProxyEventsRequest;
import io.orchestry.proxy.v1.WatchProxyEventsResponse;
import io.orchestry.watch.GrpcWatch;
import io.orchestry.watch.Lister;
import io.orchestry.watch.ListPage;
import io.orchestry.watch.Snapshot;
import io.orchestry.watch.WatchClient;
import io.orchestry.watch.WatchEvent;
import io.orchestry.watch.WatchListener;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The proxy's routes, configuration revisions and nginx state as the hub follows them (ListRoutes
 * then WatchProxyEvents, through the watch client; one resource version for all three), each
 * change published as a {@code route}, {@code proxy-revision} or {@code proxy-status} event.
 *
 * <p>A list holds routes only, each carried as a route message of the watch so that one watch
 * client follows the three kinds: the first list only says where to start; a later one is compared
 * with the routes known and what changed meanwhile is published at the list's version. Revisions
 * and nginx states missed while the stream was broken are not replayed ({@code GET
 * /api/v1/proxy/revisions} and {@code /status} have them).
 *
 * <p>A route event carries the organization of its project; revision and status events carry none
 * (a revision names every organization's routes), so only cluster-wide tokens see them. A revision
 * event never carries the config text, and no event carries a private key.
 */
final class ProxyFeed implements WatchListener<WatchProxyEventsResponse> {
    /** The proxy's largest page. */
    private static final int PAGE_SIZE = 500;

    private final Clock clock;
    private final Function<String, String> organizationOf;
    private final Consumer<EventJson> publish;
    private Map<String, Route> known = new HashMap<>();
    private boolean listed;

    ProxyFeed(Clock clock, Function<String, String> organizationOf, Consumer<EventJson> publish) {
        this.clock = clock;
        this.organizationOf = organizationOf;
        this.publish = publish;
    }

    /** The watch client that feeds {@code feed} from {@code proxy}, each list call with {@code deadline}. */
    static WatchClient<WatchProxyEventsResponse> client(ManagedChannel proxy, Duration deadline, Clock clock, ProxyFeed feed) {
        ProxyServiceGrpc.ProxyServiceBlockingStub blocking = ProxyServiceGrpc.newBlockingStub(proxy);
        ProxyServiceGrpc.ProxyServiceStub async = ProxyServiceGrpc.newStub(proxy);
        Lister<WatchProxyEventsResponse> routes = token -> {
            ListRoutesResponse page = blocking.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .listRoutes(ListRoutesRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(token).build());
            return new ListPage<>(page.getRoutesList().stream().map(ProxyFeed::asMessage).toList(), page.getNextPageToken(),
                    page.getResourceVersion());
        };
        return WatchClient.builder("proxy-events", routes,
                        GrpcWatch.watcher(async::watchProxyEvents,
                                version -> WatchProxyEventsRequest.newBuilder().setResourceVersion(version).build(),
                                change -> new WatchEvent<>(type(change.getType()), change, change.getResourceVersion())),
                        feed)
                .clock(clock)
                .build();
    }

    @Override
    public void snapshot(Snapshot<WatchProxyEventsResponse> snapshot) {
        Map<String, Route> now = new HashMap<>();
        snapshot.items().stream().filter(WatchProxyEventsResponse::hasRoute).map(WatchProxyEventsResponse::getRoute)
                .forEach(route -> now.put(route.getId(), route));
        if (listed) {
            long version = snapshot.resourceVersion();
            now.values().forEach(route -> {
                Route before = known.get(route.getId());
                if (before == null) {
                    publish(WatchEvent.Type.ADDED, route, version);
                } else if (!before.equals(route)) {
                    publish(WatchEvent.Type.MODIFIED, route, version);
                }
            });
            known.values().stream().filter(route -> !now.containsKey(route.getId()))
                    .forEach(route -> publish(WatchEvent.Type.DELETED, route, version));
        }
        known = now;
        listed = true;
    }

    @Override
    public void event(WatchEvent<WatchProxyEventsResponse> event) {
        WatchProxyEventsResponse change = event.item();
        switch (change.getObjectCase()) {
            case ROUTE -> {
                Route route = change.getRoute();
                if (event.type() == WatchEvent.Type.DELETED) {
                    known.remove(route.getId());
                } else {
                    known.put(route.getId(), route);
                }
                publish(event.type(), route, event.resourceVersion());
            }
            case REVISION -> publish(change.getRevision(), event.resourceVersion());
            case STATUS -> publish(change.getStatus(), event.resourceVersion());
            default -> {
                // a kind of object this gateway does not know yet: nothing to show
            }
        }
    }

    private void publish(WatchEvent.Type type, Route route, long resourceVersion) {
        publish.accept(EventJson.route(switch (type) {
            case ADDED -> "added";
            case MODIFIED -> "modified";
            case DELETED -> "deleted";
        }, route.getId(), route.getApp(), organizationOf.apply(route.getProject()), resourceVersion, clock.instant(),
                RouteJsonMapper.toJson(route)));
    }

    /** Type: the outcome the revision has now ({@code pending} when rendered, then {@code applied}, {@code rolled_back}, ...). */
    private void publish(ConfigRevision revision, long resourceVersion) {
        String outcome = JsonValues.nameOrNull(RouteJsonMapper.OUTCOME_PREFIX, revision.getOutcome());
        publish.accept(EventJson.revision(outcome == null ? "modified" : outcome, Long.toString(revision.getNumber()),
                resourceVersion, clock.instant(), RouteJsonMapper.toJson(revision, false)));
    }

    /** Type: the state nginx reached ({@code running}, {@code stopped}, {@code failed}, {@code not_found}). */
    private void publish(ProxyStatus status, long resourceVersion) {
        String state = JsonValues.nameOrNull(RouteJsonMapper.NGINX_STATE_PREFIX, status.getState());
        publish.accept(EventJson.proxyStatus(state == null ? "modified" : state, resourceVersion, clock.instant(),
                RouteJsonMapper.toJson(status)));
    }

    private static WatchProxyEventsResponse asMessage(Route route) {
        return WatchProxyEventsResponse.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_ADDED).setRoute(route).build();
    }

    private static WatchEvent.Type type(WatchEventType type) {
        return switch (type) {
            case WATCH_EVENT_TYPE_ADDED -> WatchEvent.Type.ADDED;
            case WATCH_EVENT_TYPE_DELETED -> WatchEvent.Type.DELETED;
            // revisions change outcome, nginx changes state: MODIFIED, like a type this gateway does not know yet
            default -> WatchEvent.Type.MODIFIED;
        };
    }
}
