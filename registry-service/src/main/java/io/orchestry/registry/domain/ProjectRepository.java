package io.orchestry.registry.domain;

import io.orchestry.paging.PageRequest;

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

    /** Deletes the project, of {@code organization} only when that is not empty; false when there was none. */
    boolean delete(String name, String organization);
}
