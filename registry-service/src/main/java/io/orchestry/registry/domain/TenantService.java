package io.orchestry.registry.domain;

import io.micronaut.data.exceptions.DataAccessException;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.error.Violations;
import io.orchestry.database.failures.DatabaseFailures;
import io.orchestry.registry.persistence.TenantStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Organizations and their projects. Project names are unique across Orchestry. */
@Singleton
public class TenantService {
    static final String ORGANIZATION = "organization";
    static final String PROJECT = "project";

    private final TenantStore store;
    private final Clock clock;

    public TenantService(TenantStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Organization createOrganization(String name, String displayName, Map<String, String> labels) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "name", name);
        ResourceNames.checkDisplayName(violations, "display_name", displayName);
        ResourceNames.checkLabels(violations, "labels", labels);
        violations.throwIfAny();
        Instant now = now();
        return insert(() -> store.insertOrganization(new Organization(name, nullToEmpty(displayName),
                labels == null ? Map.of() : labels, 0, now, now, 1)), ORGANIZATION, name);
    }

    public Organization getOrganization(String name) {
        return DatabaseFailures.call(() -> store.findOrganization(name)).orElseThrow(() -> new NotFoundException(ORGANIZATION, name));
    }

    /** Organizations in name order after {@code afterName}; one more than {@code pageSize} tells there is a next page. */
    public List<Organization> listOrganizations(String afterName, int limit) {
        return DatabaseFailures.call(() -> store.organizations(afterName, limit));
    }

    /** Display name and labels (null: unchanged), if the organization is still at {@code version}. */
    public Organization updateOrganization(String name, long version, String displayName, Map<String, String> labels) {
        Organization current = getOrganization(name);
        Violations violations = new Violations();
        ResourceNames.checkDisplayName(violations, "display_name", displayName);
        ResourceNames.checkLabels(violations, "labels", labels);
        violations.throwIfAny();
        if (current.version() != version) {
            throw new VersionConflictException(ORGANIZATION, name, version, current.version());
        }
        boolean updated = DatabaseFailures.call(() -> store.updateOrganization(name, version,
                displayName == null ? current.displayName() : displayName,
                labels == null ? current.labels() : labels, now()));
        if (!updated) {
            throw new VersionConflictException(ORGANIZATION, name, version, getOrganization(name).version());
        }
        return getOrganization(name);
    }

    /** Refused while the organization has projects, unless forced (then its projects go with it). */
    public void deleteOrganization(String name, boolean force) {
        Organization organization = getOrganization(name);
        if (organization.projectCount() > 0 && !force) {
            throw new FailedPreconditionException("organization '" + name + "' still has " + organization.projectCount()
                    + " project(s): delete them first, or force");
        }
        if (!DatabaseFailures.call(() -> store.deleteOrganization(name))) {
            throw new NotFoundException(ORGANIZATION, name);
        }
    }

    public Project createProject(String name, String organization, String displayName, Map<String, String> labels) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "name", name);
        ResourceNames.checkName(violations, "organization", organization);
        ResourceNames.checkDisplayName(violations, "display_name", displayName);
        ResourceNames.checkLabels(violations, "labels", labels);
        violations.throwIfAny();
        getOrganization(organization);
        return insert(() -> store.insertProject(new Project(name, organization, nullToEmpty(displayName),
                labels == null ? Map.of() : labels, now(), 1)), PROJECT, name);
    }

    public Project getProject(String name) {
        return DatabaseFailures.call(() -> store.findProject(name)).orElseThrow(() -> new NotFoundException(PROJECT, name));
    }

    public List<Project> listProjects(String organization, String afterName, int limit) {
        if (!organization.isEmpty()) {
            getOrganization(organization);
        }
        return DatabaseFailures.call(() -> store.projects(organization, afterName, limit));
    }

    /** Deletes the project; of {@code organization} only, when that is not empty. */
    public void deleteProject(String name, String organization) {
        if (!DatabaseFailures.call(() -> store.deleteProject(name, organization))) {
            throw new NotFoundException(PROJECT, name);
        }
    }

    private <T> T insert(Supplier<T> write, String kind, String name) {
        try {
            return write.get();
        } catch (DataAccessException e) {
            if (DatabaseFailures.isDuplicateKey(e)) {
                throw new AlreadyExistsException(kind, name);
            }
            if ("23503".equals(DatabaseFailures.sqlState(e))) {
                // the organization went away between the check and the insert
                throw new NotFoundException(ORGANIZATION, name);
            }
            throw DatabaseFailures.translate(e);
        }
    }


    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
