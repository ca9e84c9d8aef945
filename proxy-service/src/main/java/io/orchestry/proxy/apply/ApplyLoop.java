package io.orchestry.proxy.apply;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.LeaderGate;
import io.orchestry.controlloop.Leadership;
import io.orchestry.controlloop.LeadershipListener;
import io.orchestry.controlloop.Result;
import io.orchestry.proxy.domain.ApplyRequests;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionRepository;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.nginx.Nginx;
import io.orchestry.proxy.render.ConfigRenderer;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Renders and applies the configuration on the leader: a one-key {@link Controller} whose queue coalesces (requests
 * that arrive while one waits its debounce, or while a pass runs, are carried by one later pass). Each pass builds the
 * model, renders it, skips when it equals what nginx runs (unless MANUAL), stores a PENDING revision (older PENDING ones
 * become SUPERSEDED), applies it and records the outcome; every request it carried completes with that revision. The
 * first pass after each start (election) is the STARTUP one, which also starts a managed nginx.
 */
public final class ApplyLoop implements ApplyRequests, ProxyState.Source, AutoCloseable {
    static final String KEY = "apply";
    private static final Duration NOT_READY_RETRY = Duration.ofMillis(200);
    private static final Duration START_RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);

    private final Supplier<ProxyModel> models;
    private final ConfigRenderer renderer;
    private final RevisionRepository revisions;
    private final RevisionApplier applier;
    private final Nginx nginx;
    private final Leadership leadership;
    private final Consumer<ProxyState> publish;
    private final Settings settings;
    private final Clock clock;
    private final Controller<String> controller;
    private final List<Waiting> waiting = new ArrayList<>();
    private final LeadershipListener deposedFailsWaiting;
    private @Nullable LeaderGate gate;
    private volatile @Nullable Revision latest;
    private volatile @Nullable ProxyModel running;
    private volatile @Nullable ProxyModel lastRendered;
    private volatile long currentRevision;
    private volatile @Nullable Instant lastReloadTime;
    private volatile @Nullable RevisionOutcome lastReloadOutcome;
    private volatile String lastError = "";
    /** The last pass held a route whose probe failed: the next one applies the rest of its batch. */
    private boolean heldOne;

    /**
     * @param mode       MANAGED or EXTERNAL, for the status
     * @param configPath what the master runs ({@link NginxApplier#configPath()})
     * @param debounce   {@code orchestry.proxy.apply.debounce}
     */
    public record Settings(String mode, Path configPath, Duration debounce) {
    }

    private record Waiting(RevisionTrigger trigger, String reason, CompletableFuture<Revision> future) {
    }

    /**
     * @param models  the routes and upstreams now (the integrator connects it to the route store and Upstreams)
     * @param publish told the new state after every pass (the integrator connects it to the event outbox)
     */
    public ApplyLoop(Supplier<ProxyModel> models, ConfigRenderer renderer, RevisionRepository revisions,
                     RevisionApplier applier, Nginx nginx, Leadership leadership, Consumer<ProxyState> publish,
                     Settings settings, Clock clock) {
        this.models = models;
        this.renderer = renderer;
        this.revisions = revisions;
        this.applier = applier;
        this.nginx = nginx;
        this.leadership = leadership;
        this.publish = publish;
        this.settings = settings;
        this.clock = clock;
        this.controller = Controller.<String>builder("proxy-apply", key -> pass())
                .clock(clock)
                .enqueueOnStart(List.of(KEY))
                .build();
        this.deposedFailsWaiting = new LeadershipListener() {
            @Override
            public void elected(long epoch) {
                // the controller's start key runs the STARTUP pass
            }

            @Override
            public void deposed() {
                running = null; // the next leadership begins with a STARTUP pass
                failWaiting(new IllegalStateException("this replica no longer leads; the new leader applies"));
            }
        };
    }

    /** Runs the loop on the leader only: starts it now if this replica leads, and on every election. */
    public synchronized void start() {
        if (gate == null) {
            leadership.addListener(deposedFailsWaiting);
            gate = LeaderGate.of(leadership, controller);
        }
    }

    @Override
    public synchronized void close() {
        if (gate != null) {
            gate.close();
            leadership.removeListener(deposedFailsWaiting);
            gate = null;
        }
        failWaiting(new IllegalStateException("the apply loop stopped"));
    }

    @Override
    public CompletableFuture<Revision> request(RevisionTrigger trigger, String reason) {
        if (!leadership.isLeader()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "this replica does not apply: the leader " + leadership.leaderReplica().orElse("(unknown)") + " does"));
        }
        CompletableFuture<Revision> future = new CompletableFuture<>();
        synchronized (waiting) {
            waiting.add(new Waiting(trigger, reason, future));
        }
        if (settings.debounce().isZero() || settings.debounce().isNegative()) {
            controller.enqueue(KEY);
        } else {
            controller.enqueueAfter(KEY, settings.debounce());
        }
        return future;
    }

    @Override
    public Optional<Revision> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public ProxyState now() {
        ProxyModel model = running != null ? running : lastRendered;
        int routes = model == null ? 0 : model.routes().size();
        int servers = model == null ? 0 : (int) model.routes().stream()
                .collect(Collectors.toMap(plan -> plan.route().upstream(), RoutePlan::endpoints, (a, b) -> a))
                .values().stream().mapToLong(List::size).sum();
        String error = nginx.lastError().isEmpty() ? lastError : nginx.lastError();
        return new ProxyState(nginx.state().name(), settings.mode(), nginx.pid(), nginx.version(),
                settings.configPath().toString(), currentRevision, lastReloadTime, lastReloadOutcome, error, routes,
                servers, nginx.generations(), model != null && model.settings().lua());
    }

    /** Tells the listener the state now (also for the nginx supervisor's changes). */
    public void publishState() {
        try {
            publish.accept(now());
        } catch (RuntimeException e) {
            LOG.warn("could not publish the proxy state", e);
        }
    }

    /** The loop, for tests that drive it on their own thread ({@link Controller#processNext()}). */
    Controller<String> controller() {
        return controller;
    }

    private Result pass() {
        if (models instanceof ModelFeedback feedback && !feedback.ready()) {
            return Result.requeueAfter(NOT_READY_RETRY); // the requests wait for the first list of upstreams
        }
        List<Waiting> carried;
        synchronized (waiting) {
            carried = new ArrayList<>(waiting);
            waiting.clear();
        }
        try {
            Revision revision = applyOnce(carried);
            carried.forEach(w -> w.future().complete(revision));
            if (revision.outcome() == RevisionOutcome.ROLLED_BACK && heldOne) {
                heldOne = false;
                return Result.requeueAfter(settings.debounce()); // the other changes of the batch, without the held route
            }
            if (nginx.state() != Nginx.State.RUNNING && revision.outcome() == RevisionOutcome.RELOAD_FAILED) {
                return Result.requeueAfter(START_RETRY); // nginx could not start: try again, it is not supervised yet
            }
        } catch (RuntimeException e) {
            carried.forEach(w -> w.future().completeExceptionally(e));
            throw e; // retried with backoff
        } finally {
            publishState();
        }
        return Result.done();
    }

    private Revision applyOnce(List<Waiting> carried) {
        boolean startup = running == null;
        RevisionTrigger trigger = trigger(carried, startup);
        String reason = carried.isEmpty() ? (startup ? "startup" : "retry")
                : carried.stream().map(Waiting::reason).distinct().collect(Collectors.joining("; "));
        ProxyModel model = models.get();
        String config = renderer.render(model);
        String checksum = sha256(config);
        Optional<Revision> current = revisions.current();
        current.ifPresent(c -> currentRevision = c.number());
        lastRendered = model;
        if (trigger != RevisionTrigger.MANUAL && current.isPresent() && current.get().checksum().equals(checksum)
                && nginx.state() == Nginx.State.RUNNING) {
            running = model;
            if (models instanceof ModelFeedback feedback) {
                feedback.applied(model);
            }
            return current.get();
        }
        Revision pending = revisions.create(config, checksum, trigger, reason);
        latest = pending;
        List<RouteProbe> probes = ChangedRoutes.between(running, model).stream().map(RouteProbe::of).toList();
        ApplyOutcome outcome = applier.apply(current, pending, probes);
        Revision finished = revisions.finish(pending.number(), outcome.outcome(), outcome.error());
        latest = finished;
        lastReloadTime = clock.instant();
        lastReloadOutcome = outcome.outcome();
        lastError = outcome.error();
        if (outcome.outcome() == RevisionOutcome.APPLIED) {
            running = model;
            currentRevision = finished.number();
        }
        if (models instanceof ModelFeedback feedback) {
            if (outcome.outcome() == RevisionOutcome.APPLIED) {
                feedback.applied(model);
            } else if (outcome.outcome() == RevisionOutcome.ROLLED_BACK && !outcome.failedRoute().isEmpty() && !startup) {
                // not on the startup pass: there is no form nginx ran to hold the route at (it would vanish); the next
                // pass probes every route again
                feedback.rolledBack(model, outcome.failedRoute());
                heldOne = true;
            }
        }
        LOG.info("revision {} ({}, {}): {}{}", finished.number(), trigger, reason, outcome.outcome(),
                outcome.error().isEmpty() ? "" : ": " + outcome.error());
        return finished;
    }

    private static RevisionTrigger trigger(List<Waiting> carried, boolean startup) {
        if (carried.stream().anyMatch(w -> w.trigger() == RevisionTrigger.MANUAL)) {
            return RevisionTrigger.MANUAL;
        }
        if (startup) {
            return RevisionTrigger.STARTUP;
        }
        return carried.stream().map(Waiting::trigger).filter(t -> t == RevisionTrigger.ROUTE_CHANGE).findFirst()
                .orElse(carried.isEmpty() ? RevisionTrigger.ROUTE_CHANGE : carried.get(0).trigger());
    }

    private void failWaiting(RuntimeException why) {
        List<Waiting> failed;
        synchronized (waiting) {
            failed = new ArrayList<>(waiting);
            waiting.clear();
        }
        failed.forEach(w -> w.future().completeExceptionally(why));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
