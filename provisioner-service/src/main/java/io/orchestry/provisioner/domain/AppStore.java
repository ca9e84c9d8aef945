package io.orchestry.provisioner.domain;

import io.orchestry.paging.PageRequest;

import java.util.List;

/**
 * The use cases' writes of apps: each is one transaction that carries the app row, its new revision and its new
 * deployment together. Implemented in {@code persistence}; the reconciler's writes are on {@link AppRepository}.
 */
public interface AppStore {

    /** Writes a new app, its revision 1 and its first deployment. ALREADY_EXISTS when the name is taken. */
    App insert(App app, Revision revision, Deployment deployment);

    /**
     * Writes {@code change.app()}'s spec side (labels, spec, generation, revision, stopped, deleting, restarted_at) if
     * the row is still at {@code change.expectedVersion()}; the version increases. With a revision, it is added (the
     * newest {@link #KEPT_REVISIONS} stay, and any older one that a replica or an unfinished rollout still uses); with a
     * deployment, every unfinished one of the app becomes SUPERSEDED and it is added. NOT_FOUND when the app is gone,
     * ABORTED when its version moved on.
     */
    App update(AppChange change);

    /** Apps by name, of one project if not empty, up to {@link PageRequest#fetchSize()} after the page's position. */
    List<App> list(String project, PageRequest page);

    int KEPT_REVISIONS = 20;
}
