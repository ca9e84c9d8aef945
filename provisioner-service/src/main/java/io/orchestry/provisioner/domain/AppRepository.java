package io.orchestry.provisioner.domain;

import java.util.List;
import java.util.Optional;

/**
 * Apps and their revisions. Implemented in {@code persistence}; the use cases write spec, the reconciler writes status
 * (fenced: a deposed leader's write fails with FAILED_PRECONDITION).
 */
public interface AppRepository {

    Optional<App> find(String name);

    /** Every app's name, for the reconciler's resync. */
    List<String> names();

    Optional<Revision> revision(String app, long number);

    /** Newest first. */
    List<Revision> revisions(String app);

    /**
     * Writes the reconciler's status whatever the row's version (only the reconciler writes status); the version does
     * not move: it guards what users write (spec, labels), so a status change never makes a user's update stale.
     * Fenced with the leader's epoch.
     */
    void writeStatus(String name, AppStatus status);

    /**
     * The reconciler's automatic rollback after a missed progress deadline, in one transaction: the app's spec becomes
     * {@code to}'s (keeping the current replicas), its revision {@code to.number()}, generation and version increase, and
     * the deployment is written as {@code rolledBack}. Only if the app is still at the generation and revision of
     * {@code seen} (the app the plan was made from): after a newer update nothing is written and the result is empty —
     * the next plan sees the new spec. Fenced.
     */
    Optional<App> restore(App seen, Revision to, Deployment rolledBack);

    /** Removes a deleting app once nothing of it runs (its deployments stay in the history). Fenced. */
    void remove(String name);
}
