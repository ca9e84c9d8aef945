package io.orchestry.registry.domain;

import io.orchestry.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stored organizations. Failures come out as the error model's exceptions. */
public interface OrganizationRepository {

    /** {@code AlreadyExistsException} when the name is taken. */
    Organization insert(Organization organization);

    Optional<Organization> find(String name);

    /** Up to {@link PageRequest#fetchSize()} organizations in name order after the page's position. */
    List<Organization> page(PageRequest page);

    /** Display name and labels of the organization at {@code version}; false when missing or at another version. */
    boolean update(String name, long version, String displayName, Map<String, String> labels, Instant now);

    /** Deletes the organization with its projects; false when it was missing. */
    boolean delete(String name);
}
