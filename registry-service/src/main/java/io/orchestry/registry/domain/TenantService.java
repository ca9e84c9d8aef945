package io.orchestry.registry.domain;

import io.orchestry.names.ResourceNames;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.error.Violations;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Organizations and their projects. Project names are unique across Orchestry. */
@Singleton
public class TenantService {
    static final String ORGANIZATION = "organization";
    static final String PROJECT = "project";

    /** The list names in page tokens. */
    public static final String ORGANIZATIONS = "organizations";
    public static final String PROJECTS = "projects";

    /** Who holds a project: a lower-case word, e.g. "database". */
    private static final Pattern HOLDER = Pattern.compile("^[a-z][a-z0-9-]{0,30}$");

    private final OrganizationRepository organizations;
    private final ProjectRepository projects;
    private final Clock clock;

    public TenantService(OrganizationRepository organizations, ProjectRepository projects, Clock clock) {
        this.organizations = organizations;
        this.projects = projects;
        this.clock = clock;
    }

    public Organization createOrganization(String name, String displayName, Map<String, String> labels) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "name", name);
        ResourceNames.checkDisplayName(violations, "display_name", displayName);
        ResourceNames.checkLabels(violations, "labels", labels);
        violations.throwIfAny();
        Instant now = now();
        return organizations.insert(new Organization(name, nullToEmpty(displayName), labels == null ? Map.of() : labels,
                0, now, now, 1));
    }

    public Organization getOrganization(String name) {
        return organizations.find(name).orElseThrow(() -> new NotFoundException(ORGANIZATION, name));
    }

    /** Organizations in name order, a page at a time. */
    public Page<Organization> listOrganizations(PageRequest page) {
        return Page.of(organizations.page(page), page, Organization::name);
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
        boolean updated = organizations.update(name, version, displayName == null ? current.displayName() : displayName,
                labels == null ? current.labels() : labels, now());
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
        if (!organizations.delete(name)) {
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
        return projects.insert(new Project(name, organization, nullToEmpty(displayName), labels == null ? Map.of() : labels,
                now(), 1, List.of()));
    }

    public Project getProject(String name) {
        return projects.find(name).orElseThrow(() -> new NotFoundException(PROJECT, name));
    }

    /** Projects in name order, a page at a time; of one organization when it is not empty. */
    public Page<Project> listProjects(String organization, PageRequest page) {
        if (!organization.isEmpty()) {
            getOrganization(organization);
        }
        return Page.of(projects.page(organization, page), page, Project::name);
    }

    /**
     * Deletes the project; of {@code organization} only, when that is not empty. Refused while it has holds
     * (what another service keeps in it, e.g. its database) unless {@code force}: the caller has removed them.
     */
    public void deleteProject(String name, String organization, boolean force) {
        ProjectDeletion deletion = projects.delete(name, organization, force);
        if (deletion instanceof ProjectDeletion.Missing) {
            throw new NotFoundException(PROJECT, name);
        }
        if (deletion instanceof ProjectDeletion.Held held) {
            throw new FailedPreconditionException("project '" + name + "' still has "
                    + held.holds().stream().map(holder -> "its " + holder).collect(Collectors.joining(", "))
                    + "; delete " + (held.holds().size() == 1 ? "it" : "them") + " first, or force");
        }
    }

    /** Sets or releases {@code holder}'s hold on the project (idempotent); the project as it is after. */
    public Project setProjectHold(String project, String holder, boolean held) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, PROJECT, project);
        violations.require(holder != null && HOLDER.matcher(holder).matches(), "holder",
                "must be a lower-case word of at most 31 characters: a letter, then letters, digits or '-'");
        violations.throwIfAny();
        return projects.setHold(project, holder, held, now());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
