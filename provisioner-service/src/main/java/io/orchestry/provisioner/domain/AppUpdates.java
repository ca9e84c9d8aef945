package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.Violations;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * UpdateApp, ScaleApp and RollbackApp. A change of what runs ({@link AppSpec#sameWorkload} false) makes a new revision
 * and a deployment UPDATE (the unfinished one SUPERSEDED, same transaction); replicas or labels alone make neither.
 */
@Singleton
public class AppUpdates {
    private final AppEdits edits;
    private final AppRepository apps;

    public AppUpdates(AppEdits edits, AppRepository apps) {
        this.edits = edits;
        this.apps = apps;
    }

    /**
     * @param labels   the new labels, or null to keep them
     * @param specEdit from the current spec to the new one (defaults applied), or null to keep it
     */
    public AppEdits.Edited update(String name, long version, @Nullable Map<String, String> labels,
                                  @Nullable UnaryOperator<AppSpec> specEdit) {
        if (version <= 0) {
            throw new InvalidArgumentException("version", "required: the app's current version (from GetApp)");
        }
        return edits.edit(name, version, (app, now) -> {
            requireNotDeleting(app);
            Map<String, String> newLabels = labels == null ? app.labels() : labels;
            AppSpec spec = specEdit == null ? app.spec() : specEdit.apply(app.spec());
            AppSpecValidator.checkChange(newLabels, spec);
            boolean specChanged = !spec.equals(app.spec());
            long generation = specChanged ? app.generation() + 1 : app.generation();
            if (spec.sameWorkload(app.spec())) {
                return new AppChange(AppEdits.with(app, newLabels, spec, generation, app.revision(), app.stopped(), false,
                        app.restartedAt(), now), app.version(), null, null, null);
            }
            long revision = edits.nextRevision(app);
            App next = AppEdits.with(app, newLabels, spec, generation, revision, app.stopped(), false, app.restartedAt(), now);
            return new AppChange(next, app.version(), new Revision(name, revision, spec, now),
                    AppEdits.deployment(next, app.revision(), revision, Deployment.DeploymentTrigger.UPDATE, now), null);
        });
    }

    /** @param version 0: unconditional */
    public App scale(String name, int replicas, long version, String reason) {
        Violations v = new Violations();
        v.require(replicas >= 0 && replicas <= AppSpecValidator.MAX_REPLICAS, "replicas", "must be 0 to " + AppSpecValidator.MAX_REPLICAS);
        v.require(version >= 0, "version", "must not be negative (0: unconditional)");
        v.require(reason.length() <= 1024, "reason", "must be at most 1024 characters");
        v.throwIfAny();
        return edits.edit(name, version, (app, now) -> {
            requireNotDeleting(app);
            if (app.spec().replicas() == replicas) {
                return null;
            }
            App next = AppEdits.with(app, app.labels(), app.spec().withReplicas(replicas), app.generation() + 1, app.revision(),
                    app.stopped(), false, app.restartedAt(), now);
            return new AppChange(next, app.version(), null, null,
                    new AppChange.ScaleRecord(app.spec().replicas(), replicas, reason));
        }).app();
    }

    /** @param toRevision 0: the newest kept revision before the current one */
    public AppEdits.Edited rollback(String name, long toRevision) {
        if (toRevision < 0) {
            throw new InvalidArgumentException("toRevision", "must not be negative (0: the previous revision)");
        }
        return edits.edit(name, 0, (app, now) -> {
            requireNotDeleting(app);
            Revision target = target(app, toRevision);
            AppSpec spec = target.spec().withReplicas(app.spec().replicas());
            long revision = edits.nextRevision(app);
            App next = AppEdits.with(app, app.labels(), spec, app.generation() + 1, revision, app.stopped(), false,
                    app.restartedAt(), now);
            return new AppChange(next, app.version(), new Revision(name, revision, spec, now),
                    AppEdits.deployment(next, app.revision(), revision, Deployment.DeploymentTrigger.ROLLBACK, now), null);
        });
    }

    private Revision target(App app, long toRevision) {
        if (toRevision == app.revision()) {
            throw new FailedPreconditionException("app '" + app.name() + "' already runs revision " + toRevision);
        }
        if (toRevision > 0) {
            return apps.revision(app.name(), toRevision).orElseThrow(() -> new FailedPreconditionException(
                    "revision " + toRevision + " of app '" + app.name() + "' is not kept (the last "
                            + AppStore.KEPT_REVISIONS + " are)"));
        }
        return apps.revisions(app.name()).stream().filter(r -> r.number() < app.revision()).findFirst()
                .orElseThrow(() -> new FailedPreconditionException("app '" + app.name() + "' has no revision before "
                        + app.revision() + " to roll back to"));
    }

    static void requireNotDeleting(App app) {
        if (app.deleting()) {
            throw new FailedPreconditionException("app '" + app.name() + "' is being deleted");
        }
    }
}
