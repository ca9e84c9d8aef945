package io.orchestry.provisioner.domain;

import jakarta.inject.Singleton;

/**
 * StartApp, StopApp, RestartApp and DeleteApp: flags on the app (generation increases) that the reconciler acts on.
 * Starting a started app, stopping a stopped one and deleting a deleting one change nothing.
 */
@Singleton
public class AppLifecycle {
    private final AppEdits edits;

    public AppLifecycle(AppEdits edits) {
        this.edits = edits;
    }

    public App start(String name) {
        return setStopped(name, false);
    }

    public App stop(String name) {
        return setStopped(name, true);
    }

    private App setStopped(String name, boolean stopped) {
        return edits.edit(name, 0, (app, now) -> {
            AppUpdates.requireNotDeleting(app);
            if (app.stopped() == stopped) {
                return null;
            }
            return new AppChange(AppEdits.with(app, app.labels(), app.spec(), app.generation() + 1, app.revision(), stopped,
                    false, app.restartedAt(), now), app.version(), null, null, null);
        }).app();
    }

    /** Replaces every replica with one of the same revision: restartedAt = now, a deployment RESTART from = to. */
    public AppEdits.Edited restart(String name) {
        return edits.edit(name, 0, (app, now) -> {
            AppUpdates.requireNotDeleting(app);
            App next = AppEdits.with(app, app.labels(), app.spec(), app.generation() + 1, app.revision(), app.stopped(),
                    false, now, now);
            return new AppChange(next, app.version(), null,
                    AppEdits.deployment(next, app.revision(), app.revision(), Deployment.DeploymentTrigger.RESTART, now), null);
        });
    }

    /** Marks the app deleting; the reconciler removes its replicas, then the row. */
    public void delete(String name) {
        edits.edit(name, 0, (app, now) -> app.deleting() ? null
                : new AppChange(AppEdits.with(app, app.labels(), app.spec(), app.generation() + 1, app.revision(),
                app.stopped(), true, app.restartedAt(), now), app.version(), null, null, null));
    }
}
