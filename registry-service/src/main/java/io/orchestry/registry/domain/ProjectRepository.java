package io.orchestry.registry.domain;

import io.orchestry.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The stored projects; a project's name is unique across organizations. */
public interface ProjectRepository {

    /**
     * {@code AlreadyExistsException} when the name is taken anywhere; {@code NotFoundException} of the
     * organization when it does not exist (or went away meanwhile).
     */
    Project insert(Project project);

    Optional<Project> find(String name);

    /** Up to {@link PageRequest#fetchSize()} projects in name order, of one organization when it is not empty. */
    List<Project> page(String organization, PageRequest page);

    /**
     * Deletes the project (with its holds), of {@code organization} only when that is not empty; while it has
     * holds only when {@code force}. The holds are read and the project deleted under one row lock, so a hold set
     * meanwhile either stops the deletion or goes with it.
     */
    ProjectDeletion delete(String name, String organization, boolean force);

    /** Sets ({@code held}) or releases the hold; idempotent. {@code NotFoundException} of the project when it is missing. */
    Project setHold(String project, String holder, boolean held, Instant now);
}
