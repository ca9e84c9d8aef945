package io.orchestry.provisioner.domain;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;

/**
 * CreateApp: validate, check the project in the registry and that the fleet could run it at all (RESOURCE_EXHAUSTED
 * naming why not), then app + revision 1 + deployment CREATE in one transaction.
 */
@Singleton
public class AppCreation {
    private final AppStore store;
    private final Projects projects;
    private final AppEdits edits;

    public AppCreation(AppStore store, Projects projects, AppEdits edits) {
        this.store = store;
        this.projects = projects;
        this.edits = edits;
    }

    public AppEdits.Edited create(String name, String project, Map<String, String> labels, AppSpec spec) {
        AppSpecValidator.checkNew(name, project, labels, spec);
        projects.requireExists(project);
        Instant now = edits.now();
        App app = new App(name, project, labels, spec, 1, 1, false, false, null, now, now, 1, AppStatus.NEW);
        edits.requirePlaceable(null, app);
        Deployment deployment = AppEdits.deployment(app, 0, 1, Deployment.DeploymentTrigger.CREATE, now);
        App written = store.insert(app, new Revision(name, 1, spec, now), deployment);
        edits.notifyChanged(name);
        return new AppEdits.Edited(written, deployment);
    }
}
