package io.orchestry.gateway.events;

import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/ws}: the same live changes as {@code /api/v1/events}, one JSON event per
 * WebSocket text message, with the same {@code ?kind=&app=} filters and the token in
 * {@code Authorization} or {@code ?access_token=}. Each message is written before the next is
 * taken; a client that falls 256 events behind, or whose token is revoked, is closed with 1008.
 */
@ServerWebSocket("/api/v1/ws")
public class EventSocket {
    private static final String SUBSCRIPTION = "orchestry.subscription";

    private final EventHub hub;

    public EventSocket(EventHub hub) {
        this.hub = hub;
    }

    @OnOpen
    public void open(WebSocketSession session, HttpRequest<?> request) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.VIEWER);
        String kind = request.getParameters().get("kind");
        String app = request.getParameters().get("app");
        Disposable.Swap subscription = Disposables.swap();
        session.put(SUBSCRIPTION, subscription);
        subscription.update(hub.subscribe(caller, e -> EventHub.matches(e, kind, app))
                .concatMap(event -> Mono.from(session.send(event)), 1)
                .subscribe(sent -> { }, failure -> session.close(closeReason(failure))));
        if (!session.isOpen()) {
            subscription.dispose(); // closed before the subscription was stored
        }
    }

    private static CloseReason closeReason(Throwable failure) {
        if (failure instanceof EventHub.SlowClientException) {
            return new CloseReason(CloseReason.POLICY_VIOLATION.getCode(), "too slow: reconnect");
        }
        if (failure instanceof EventHub.RevokedException) {
            return new CloseReason(CloseReason.POLICY_VIOLATION.getCode(), "token revoked or expired");
        }
        return CloseReason.INTERNAL_ERROR;
    }

    /** Clients do not need to send anything; what they send is ignored. */
    @OnMessage
    public void message(String ignored, WebSocketSession session) {
    }

    @OnClose
    public void close(WebSocketSession session) {
        session.get(SUBSCRIPTION, Disposable.class).ifPresent(Disposable::dispose);
    }
}
