package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.registry.v1.GetProjectRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The organization of a project, as the registry says, for deciding who sees an instance or a
 * rollout event. Remembered once known (a project keeps its organization while it exists);
 * a project the registry does not know, or cannot answer for, has none: its events reach
 * cluster-wide tokens only.
 */
final class ProjectOrganizations {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectOrganizations.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;
    private final Duration deadline;
    private final Map<String, String> known = new ConcurrentHashMap<>();

    ProjectOrganizations(ManagedChannel registry, Duration deadline) {
        this.registry = RegistryServiceGrpc.newBlockingStub(registry);
        this.deadline = deadline;
    }

    @Nullable String of(String project) {
        if (project.isEmpty()) {
            return null;
        }
        String organization = known.get(project);
        if (organization != null) {
            return organization;
        }
        try {
            organization = registry.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .getProject(GetProjectRequest.newBuilder().setName(project).build()).getProject().getOrganization();
        } catch (StatusRuntimeException e) {
            LOG.debug("no organization for project {}: {}", project, e.getStatus());
            return null;
        }
        if (known.size() >= MAX_REMEMBERED) {
            known.clear();
        }
        known.put(project, organization);
        return organization;
    }
}
