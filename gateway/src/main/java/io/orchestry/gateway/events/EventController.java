package io.orchestry.gateway.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.orchestry.gateway.api.StandardProblems;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/events}: live changes as server-sent events. */
@Controller("/api/v1/events")
@StandardProblems
@Tag(name = "ops")
public class EventController {
    private final EventHub hub;

    public EventController(EventHub hub) {
        this.hub = hub;
    }

    /**
     * Live changes as server-sent events, filtered by kind and app. Each {@code event:} is the kind
     * ({@code node}: added, modified, deleted; {@code instance}: added, modified, deleted;
     * {@code deployment}: started, progressed, succeeded, failed, rolled_back, superseded; {@code database}:
     * creating, ready, failed, deleting, restarted, deleted; {@code backup}: verified, failed; {@code route}: added,
     * modified, deleted; {@code proxy-revision}: its outcome, pending then applied, rolled_back, ...; {@code proxy-status}:
     * running, stopped, failed, not_found), each
     * {@code data:} an event, each {@code id:} its resource version; instances, rollouts, databases, backups and routes of an
     * organization reach its own tokens and cluster-wide ones only, proxy revisions and status cluster-wide tokens only; a {@code ping} at once and then every 20 s keeps proxies from closing the stream.
     * Browsers' EventSource cannot send headers: pass the token as {@code ?access_token=}. A client
     * that falls 256 events behind is disconnected, and so is one whose token is revoked or expires
     * (within 5 s). The same stream, one JSON event per text message, is served over WebSocket at
     * {@code /api/v1/ws} (same filters).
     *
     * @param kind comma-separated kinds to receive: node, instance, deployment, database, backup, route, proxy-revision,
     *             proxy-status (default: all)
     * @param app  only events of this app
     */
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<?>> events(HttpRequest<?> request, @Nullable @QueryValue String kind, @Nullable @QueryValue String app) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.VIEWER);
        Flux<Event<?>> changes = hub.subscribe(caller, e -> EventHub.matches(e, kind, app))
                .map(e -> Event.of(e).name(e.kind()).id(Long.toString(e.resourceVersion())));
        // the hub's one periodic loop pings every stream at once: no timer per client; the first ping,
        // at once, sends the response's headers, so a client knows it is subscribed before any change
        Flux<Event<?>> pings = Flux.<Event<?>>concat(Mono.just(ping()), hub.pings().map(at -> ping()));
        return Flux.merge(changes, pings);
    }

    private static Event<?> ping() {
        return Event.of("keep-alive").name("ping");
    }
}
