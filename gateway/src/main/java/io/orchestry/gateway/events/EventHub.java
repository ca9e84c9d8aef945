package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.gateway.api.NodeJsonMapper;
import io.orchestry.gateway.config.GatewayConfig;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.WatchNodesRequest;
import io.orchestry.registry.v1.WatchEventType;
import io.orchestry.registry.v1.WatchNodesResponse;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.TokenService;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The gateway's one subscription to each service's watch stream, fanned out to every SSE and
 * WebSocket client. It starts with the first client and then follows for good: list for a
 * resource version, watch from it, and on a broken stream watch again from the last version seen
 * (or list again when that is too old), backing off up to 30 s.
 *
 * <p>Each client has a buffer of {@value #CLIENT_BUFFER} events; a client that lets it fill is
 * dropped (its stream ends with an error, it reconnects), so a slow reader never slows the others.
 */
@Singleton
public class EventHub {
    static final int CLIENT_BUFFER = 256;
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final TokenService tokens;
    private final RegistryServiceGrpc.RegistryServiceStub registry;
    private final RegistryServiceGrpc.RegistryServiceBlockingStub registryBlocking;
    private final long deadlineMillis;
    private final Clock clock;
    private final Sinks.Many<EventJson> sink = Sinks.many().multicast().directBestEffort();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "event-hub");
        thread.setDaemon(true);
        return thread;
    });
    private boolean started;
    // written by the gRPC observer and read by the event-hub thread, one at a time (a watch starts only after the last ended)
    private volatile long resourceVersion;
    private volatile long backoffMillis = 500;
    private volatile ClientCallStreamObserver<WatchNodesRequest> call;
    private volatile boolean closed;

    EventHub(@Named("registry") ManagedChannel registryChannel, GatewayConfig config, Clock clock, TokenService tokens) {
        this.tokens = tokens;
        this.registry = RegistryServiceGrpc.newStub(registryChannel);
        this.registryBlocking = RegistryServiceGrpc.newBlockingStub(registryChannel);
        this.deadlineMillis = config.deadline().toMillis();
        this.clock = clock;
    }

    /**
     * The events {@code caller} may see that match {@code filter}, from now on. The stream fails
     * with {@link SlowClientException} when the subscriber falls {@value #CLIENT_BUFFER} events
     * behind, and with {@link RevokedException} once the caller's token is revoked or expires
     * (checked every token cache TTL).
     */
    public Flux<EventJson> subscribe(Caller caller, Predicate<EventJson> filter) {
        // revoked here: at once; revoked through another replica, or expired: seen by the periodic check
        Mono<Boolean> revokedHere = tokens.revocations().filter(caller.tokenId()::equals).next().map(id -> false);
        Mono<Boolean> revokedElsewhere = Flux.interval(tokens.recheckInterval())
                .concatMap(tick -> Mono.fromCallable(() -> tokens.stillActive(caller)).subscribeOn(Schedulers.boundedElastic())
                        .onErrorReturn(true)) // a database blip must not end every stream at once
                .filter(active -> !active)
                .next();
        Flux<EventJson> revocation = Mono.firstWithValue(revokedHere, revokedElsewhere)
                .flatMap(gone -> Mono.<EventJson>error(new RevokedException()))
                .flux();
        return Flux.merge(subscribe(e -> caller.sees(e.organization()) && filter.test(e)), revocation);
    }

    /** The token a stream was opened with stopped working. */
    public static final class RevokedException extends RuntimeException {
        RevokedException() {
            super("the token was revoked or expired");
        }
    }

    /** All events matching {@code filter}, for callers already authorized. */
    Flux<EventJson> subscribe(Predicate<EventJson> filter) {
        start();
        // an overflow must end the stream at once, not after the 256 events the client is not reading:
        // merge delivers the kill switch's error ahead of anything queued
        Sinks.Empty<EventJson> kill = Sinks.empty();
        Flux<EventJson> events = sink.asFlux()
                .filter(filter)
                .onBackpressureBuffer(CLIENT_BUFFER, dropped -> kill.tryEmitError(new SlowClientException()),
                        BufferOverflowStrategy.DROP_LATEST);
        return Flux.merge(events, kill.asMono().flux());
    }

    /** Whether the hub follows the registry's stream right now. */
    public boolean following() {
        return call != null;
    }

    /** A client fell too far behind and was dropped. */
    public static final class SlowClientException extends RuntimeException {
        SlowClientException() {
            super("client too slow: more than " + CLIENT_BUFFER + " events waiting; reconnect");
        }
    }

    private synchronized void start() {
        if (!started) {
            started = true;
            retries.execute(this::connect);
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            if (resourceVersion == 0) {
                resourceVersion = registryBlocking.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                        .listNodes(ListNodesRequest.newBuilder().setPageSize(1).build()).getResourceVersion();
            }
        } catch (StatusRuntimeException e) {
            retry("listing nodes failed: " + e.getStatus());
            return;
        }
        registry.watchNodes(WatchNodesRequest.newBuilder().setResourceVersion(resourceVersion).build(),
                new ClientResponseObserver<WatchNodesRequest, WatchNodesResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<WatchNodesRequest> stream) {
                        call = stream;
                        if (closed) {
                            stream.cancel("gateway stopping", null);
                        }
                    }

                    @Override
                    public void onNext(WatchNodesResponse change) {
                        backoffMillis = 500;
                        resourceVersion = change.getResourceVersion();
                        publish(new EventJson("node", type(change.getType()),
                                change.getNode().getName(), null, null, change.getResourceVersion(), clock.instant(),
                                NodeJsonMapper.toJson(change.getNode())));
                    }

                    @Override
                    public void onError(Throwable t) {
                        call = null;
                        Status status = Status.fromThrowable(t);
                        if (status.getCode() == Status.Code.FAILED_PRECONDITION || status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                            resourceVersion = 0; // too old or too slow: list again, then follow
                        }
                        retry("node watch ended: " + status);
                    }

                    @Override
                    public void onCompleted() {
                        call = null;
                        retry("node watch completed");
                    }
                });
    }

    synchronized void publish(EventJson event) {
        sink.tryEmitNext(event);
    }

    private void retry(String why) {
        if (closed) {
            return;
        }
        LOG.info("{}; watching again in {} ms", why, backoffMillis);
        try {
            retries.schedule(this::connect, backoffMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return; // closed meanwhile
        }
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    }

    private static String type(WatchEventType type) {
        return switch (type) {
            case WATCH_EVENT_TYPE_ADDED -> "added";
            case WATCH_EVENT_TYPE_MODIFIED -> "modified";
            case WATCH_EVENT_TYPE_DELETED -> "deleted";
            default -> "unknown";
        };
    }

    @PreDestroy
    void close() {
        closed = true;
        ClientCallStreamObserver<WatchNodesRequest> current = call;
        if (current != null) {
            current.cancel("gateway stopping", null);
        }
        retries.shutdownNow();
        sink.tryEmitComplete();
    }

    /** Whether {@code event} is of one of the comma-separated {@code kinds} and of {@code app}; null matches all. */
    public static boolean matches(EventJson event, @Nullable String kind, @Nullable String app) {
        return (kind == null || kind.isBlank() || java.util.Arrays.asList(kind.split(",")).contains(event.kind()))
                && (app == null || app.isBlank() || app.equals(event.app()));
    }
}
