package io.orchestry.provisioner.domain;

/** Told after a use case committed a change the database loops must act on (they enqueue; level-triggered). */
public interface DatabaseChangeListener {

    /** The database of the project was created, changed or asked to be deleted. */
    void databaseChanged(String project);

    /** A backup was asked for: the leader runs it. */
    void backupRequested(String backupId);
}
