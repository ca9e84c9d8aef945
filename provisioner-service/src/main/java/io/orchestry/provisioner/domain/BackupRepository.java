package io.orchestry.provisioner.domain;

import io.orchestry.paging.PageRequest;

import java.util.List;
import java.util.Optional;

/** Backups of databases, newest first. Implemented in {@code persistence}; the runner's writes are fenced. */
public interface BackupRepository {

    /**
     * Writes a new DUMPING backup unless one of the project's is still running (FAILED_PRECONDITION then), checked in
     * the same transaction.
     */
    Backup insert(Backup backup);

    Optional<Backup> find(String id);

    /** Of one project (empty: of every database) and one organization (empty: any), newest first. */
    List<Backup> list(String project, String organization, PageRequest page);

    /** Every DUMPING or VERIFYING backup: what the leader must be running. */
    List<Backup> running();

    /** Every backup of the project, newest first (for retention). */
    List<Backup> ofProject(String project);

    /** The runner's progress and outcome; fenced. */
    void update(Backup backup);

    /** A rotated-out backup's row (its file is removed first); fenced. */
    void delete(String id);
}
