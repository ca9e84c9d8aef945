package io.orchestry.provisioner.domain;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Read, change, write of one app, then tell the reconciler. A caller's version is checked (ABORTED when stale); without
 * one (version 0) the change is recomputed from a fresh read when the row moved on meanwhile (the reconciler's status
 * writes move the version too), a few times.
 */
@Singleton
public class AppEdits {
    static final int ATTEMPTS = 5;

    private final AppRepository apps;
    private final AppStore store;
    private final BeanProvider<AppChangeListener> listener;
    private final PlacementCheck placement;
    private final Clock clock;

    public AppEdits(AppRepository apps, AppStore store, BeanProvider<AppChangeListener> listener,
                    PlacementCheck placement, Clock clock) {
        this.apps = apps;
        this.store = store;
        this.listener = listener;
        this.placement = placement;
        this.clock = clock;
    }

    /** What an edit wrote: the app after it, and the deployment it started (or null). */
    public record Edited(App app, Deployment deployment) {
    }

    /**
     * @param version the caller's version; 0: none
     * @param change  from the current app and now to the change to write; null: nothing to write (the app is returned
     *                as it is)
     */
    public Edited edit(String name, long version, Change change) {
        for (int attempt = 1; ; attempt++) {
            App current = get(name);
            if (version != 0 && current.version() != version) {
                throw new VersionConflictException("app", name, version, current.version());
            }
            AppChange next = change.apply(current, now());
            if (next == null) {
                return new Edited(current, null);
            }
            requirePlaceable(current, next.app());
            try {
                App written = store.update(next);
                notifyChanged(name);
                return new Edited(written, next.deployment());
            } catch (VersionConflictException e) {
                if (version != 0 || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** One edit: the change of {@code current} made at {@code now}, or null when there is nothing to change. */
    @FunctionalInterface
    public interface Change {
        AppChange apply(App current, Instant now);
    }

    /**
     * RESOURCE_EXHAUSTED when {@code after} asks for replicas that the fleet could never run, and {@code before} (null: a
     * new app) did not already: a start, more replicas, or another runtime kind, requests or placement. A change that
     * needs no new placement (labels, fewer replicas, a stop) is never refused for the fleet.
     */
    void requirePlaceable(@Nullable App before, App after) {
        if (after.stopped() || after.deleting() || after.spec().replicas() <= 0) {
            return;
        }
        AppSpec b = before == null ? null : before.spec();
        AppSpec a = after.spec();
        if (b == null || before.stopped() || b.replicas() < a.replicas()
                || b.runtime().driverKind() != a.runtime().driverKind()
                || !b.resources().requests().equals(a.resources().requests()) || !b.placement().equals(a.placement())) {
            placement.requirePlaceable(after.name(), a);
        }
    }

    public App get(String name) {
        return apps.find(name).orElseThrow(() -> new NotFoundException("app", name));
    }

    /** The number the next revision of the app gets: above every kept one (a rollback by the reconciler may have lowered app.revision). */
    public long nextRevision(App app) {
        List<Revision> kept = apps.revisions(app.name());
        return Math.max(app.revision(), kept.isEmpty() ? 0 : kept.get(0).number()) + 1;
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public void notifyChanged(String app) {
        listener.ifPresent(l -> l.changed(app));
    }

    /** A new deployment of {@code app} (as it will be written) from one revision to another, PENDING. */
    public static Deployment deployment(App app, long from, long to, Deployment.DeploymentTrigger trigger, Instant now) {
        return new Deployment(app.name() + "-" + to + "-" + UUID.randomUUID().toString().substring(0, 8), app.name(),
                app.project(), from, to, Deployment.DeploymentState.PENDING, app.spec().deploymentStrategy(), trigger,
                "", 0, app.desiredReplicas(), now, null, null);
    }

    /** {@code app} with a new spec side, the rest as it was. */
    public static App with(App app, java.util.Map<String, String> labels, AppSpec spec, long generation, long revision,
                           boolean stopped, boolean deleting, Instant restartedAt, Instant now) {
        return new App(app.name(), app.project(), labels, spec, generation, revision, stopped, deleting, restartedAt,
                app.createTime(), now, app.version(), app.status());
    }

}
