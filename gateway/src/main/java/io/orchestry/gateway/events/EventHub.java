package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Controller;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.TokenService;
import io.orchestry.gateway.config.GatewayConfig;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.proxy.v1.WatchProxyEventsResponse;
import io.orchestry.registry.v1.Node;
import io.orchestry.watch.WatchClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The gateway's one subscription to each service's watch stream, fanned out to every SSE and
 * WebSocket client. It starts with the first client and then follows for good, through the watch
 * client (list, watch from the list's version, resume or list again, backoff).
 *
 * <p>Each client has a buffer of {@value #CLIENT_BUFFER} events; a client that lets it fill is
 * dropped (its stream ends with an error, it reconnects), so a slow reader never slows the others.
 * A client's stream also ends when its token is revoked: at once when that happens through this
 * gateway, and otherwise (revoked through another replica, or expired) at the hub's periodic
 * re-check every token cache TTL. The same one periodic loop sends the keep-alive pings of every
 * SSE stream, every {@code 20 s}, and polls the provisioner's rollouts, databases and backups every
 * {@code 2 s} ({@link DeploymentFeed}, {@link DatabaseFeed}: there is no watch of them): no timer per client. Instances come
 * from the provisioner's watch ({@link InstanceFeed}), nodes from the registry's ({@link NodeFeed}), routes,
 * configuration revisions and nginx's state from the proxy's ({@link ProxyFeed}).
 */
@Singleton
public class EventHub {
    static final int CLIENT_BUFFER = 256;
    static final Duration PING_INTERVAL = Duration.ofSeconds(20);
    static final Duration DEPLOYMENT_POLL_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final TokenService tokens;
    private final Clock clock;
    private final Duration recheckInterval;
    private final WatchClient<Node> nodes;
    private final WatchClient<Instance> instances;
    private final WatchClient<WatchProxyEventsResponse> proxy;
    private final DeploymentFeed deployments;
    private final DatabaseFeed databases;
    private final Controller<String> ticker;
    private final Sinks.Many<EventJson> sink = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Instant> pings = Sinks.many().multicast().directBestEffort();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Disposable revocations;
    /** Guards the loop's schedule (not {@code this}, which publishing holds: a slow re-check must not hold up events). */
    private final Object schedule = new Object();
    private boolean started;
    private Instant nextRecheck;
    private Instant nextPing;
    private Instant nextDeploymentPoll;

    /** A hub whose registry, provisioner and proxy are behind the same channel (tests). */
    EventHub(ManagedChannel registryChannel, GatewayConfig config, Clock clock, TokenService tokens) {
        this(registryChannel, registryChannel, registryChannel, config, clock, tokens);
    }

    @Inject
    EventHub(@Named("registry") ManagedChannel registryChannel, @Named("provisioner") ManagedChannel provisionerChannel,
             @Named("proxy") ManagedChannel proxyChannel, GatewayConfig config, Clock clock, TokenService tokens) {
        this.tokens = tokens;
        this.clock = clock;
        this.recheckInterval = tokens.recheckInterval();
        this.nodes = NodeFeed.client(registryChannel, config.deadline(), clock, new NodeFeed(clock, this::publish));
        ProjectOrganizations organizations = new ProjectOrganizations(registryChannel, config.deadline());
        this.instances = InstanceFeed.client(provisionerChannel, config.deadline(), clock,
                new InstanceFeed(clock, organizations::of, this::publish));
        this.proxy = ProxyFeed.client(proxyChannel, config.deadline(), clock,
                new ProxyFeed(clock, organizations::of, this::publish));
        this.deployments = new DeploymentFeed(provisionerChannel, config.deadline(), clock, organizations::of, this::publish);
        this.databases = new DatabaseFeed(provisionerChannel, config.deadline(), clock, organizations::of, this::publish);
        Duration tick = recheckInterval.compareTo(PING_INTERVAL) < 0 ? recheckInterval : PING_INTERVAL;
        tick = tick.compareTo(DEPLOYMENT_POLL_INTERVAL) < 0 ? tick : DEPLOYMENT_POLL_INTERVAL;
        this.ticker = Controller.periodic("event-hub", tick, this::tick, clock, null);
        // revoked here: end its streams at once
        this.revocations = tokens.revocations().subscribe(this::revoked);
    }

    /**
     * The events {@code caller} may see that match {@code filter}, from now on. The stream fails
     * with {@link SlowClientException} when the subscriber falls {@value #CLIENT_BUFFER} events
     * behind, and with {@link RevokedException} once the caller's token is revoked or expires.
     */
    public Flux<EventJson> subscribe(Caller caller, Predicate<EventJson> filter) {
        return subscribe(caller, e -> caller.sees(e.organization()) && filter.test(e), true);
    }

    /** All events matching {@code filter}, for callers already authorized. */
    Flux<EventJson> subscribe(Predicate<EventJson> filter) {
        return subscribe(null, filter, false);
    }

    private Flux<EventJson> subscribe(@Nullable Caller caller, Predicate<EventJson> filter, boolean checked) {
        return Flux.defer(() -> {
            start();
            Client client = new Client(caller);
            if (checked) {
                clients.add(client);
            }
            // an overflow must end the stream at once, not after the 256 events the client is not reading:
            // merge delivers the kill switch's error ahead of anything queued
            Flux<EventJson> events = sink.asFlux()
                    .filter(filter)
                    .onBackpressureBuffer(CLIENT_BUFFER, dropped -> client.end(new SlowClientException()),
                            BufferOverflowStrategy.DROP_LATEST);
            return Flux.merge(events, client.kill.asMono().flux()).doFinally(signal -> clients.remove(client));
        });
    }

    /** A keep-alive signal every 20 s, the same for every stream; completes when the hub closes. */
    public Flux<Instant> pings() {
        return pings.asFlux();
    }

    /** Whether the hub follows the registry's stream right now. */
    public boolean following() {
        return nodes.following();
    }

    /** Whether the hub has polled the provisioner's rollouts once: those that begin from now on are published. */
    public boolean pollingDeployments() {
        return deployments.listed();
    }

    /** Whether the hub has polled the provisioner's databases once: their changes from now on are published. */
    public boolean pollingDatabases() {
        return databases.listed();
    }

    /** Whether the hub follows the proxy's event stream right now. */
    public boolean followingProxy() {
        return proxy.following();
    }

    /** Whether the hub follows the provisioner's instance stream right now. */
    public boolean followingInstances() {
        return instances.following();
    }

    /** The token a stream was opened with stopped working. */
    public static final class RevokedException extends RuntimeException {
        RevokedException() {
            super("the token was revoked or expired");
        }
    }

    /** A client fell too far behind and was dropped. */
    public static final class SlowClientException extends RuntimeException {
        SlowClientException() {
            super("client too slow: more than " + CLIENT_BUFFER + " events waiting; reconnect");
        }
    }

    private void start() {
        synchronized (schedule) {
            if (!started) {
                started = true;
                Instant now = clock.instant();
                nextRecheck = now.plus(recheckInterval);
                nextPing = now.plus(PING_INTERVAL);
                nextDeploymentPoll = now;
                nodes.start();
                instances.start();
                proxy.start();
                ticker.start();
            }
        }
    }

    /**
     * One run of the hub's periodic loop: re-check tokens when a TTL has passed, ping when 20 s have,
     * poll the rollouts and databases when 2 s have (outside the schedule's lock: a slow provisioner holds up nothing else).
     */
    void tick() {
        boolean poll = false;
        synchronized (schedule) {
            if (!started) {
                return;
            }
            Instant now = clock.instant();
            if (!now.isBefore(nextDeploymentPoll)) {
                nextDeploymentPoll = now.plus(DEPLOYMENT_POLL_INTERVAL);
                poll = true;
            }
            if (!now.isBefore(nextRecheck)) {
                nextRecheck = now.plus(recheckInterval);
                recheckTokens();
            }
            if (!now.isBefore(nextPing)) {
                nextPing = now.plus(PING_INTERVAL);
                pings.tryEmitNext(now);
            }
        }
        if (poll) {
            deployments.poll();
            databases.poll();
        }
    }

    /** One look per token, however many streams it has open; a database blip ends none of them. */
    private void recheckTokens() {
        Map<String, List<Client>> byToken = clients.stream().collect(Collectors.groupingBy(c -> c.caller.tokenId()));
        byToken.forEach((tokenId, ofToken) -> {
            boolean active;
            try {
                active = tokens.stillActive(ofToken.get(0).caller);
            } catch (RuntimeException e) {
                LOG.warn("could not re-check token {} of {} open stream(s): {}", tokenId, ofToken.size(), e.toString());
                active = true;
            }
            if (!active) {
                ofToken.forEach(c -> c.end(new RevokedException()));
            }
        });
    }

    private void revoked(String tokenId) {
        clients.stream().filter(c -> c.caller.tokenId().equals(tokenId)).forEach(c -> c.end(new RevokedException()));
    }

    synchronized void publish(EventJson event) {
        sink.tryEmitNext(event);
    }

    @PreDestroy
    void close() {
        nodes.stop();
        instances.stop();
        proxy.stop();
        ticker.stop();
        revocations.dispose();
        sink.tryEmitComplete();
        pings.tryEmitComplete();
    }

    /** Whether {@code event} is of one of the comma-separated kinds in {@code kind} and of {@code app}; null matches all. */
    public static boolean matches(EventJson event, @Nullable String kind, @Nullable String app) {
        return (kind == null || kind.isBlank() || Arrays.asList(kind.split(",")).contains(event.kind()))
                && (app == null || app.isBlank() || app.equals(event.app()));
    }

    /** One open stream: who opened it, and the switch that ends it. */
    private static final class Client {
        final Caller caller;
        final Sinks.Empty<EventJson> kill = Sinks.empty();

        Client(@Nullable Caller caller) {
            this.caller = caller;
        }

        void end(RuntimeException why) {
            kill.tryEmitError(why);
        }
    }
}
