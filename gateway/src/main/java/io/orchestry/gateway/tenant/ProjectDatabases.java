package io.orchestry.gateway.tenant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.DeleteDatabaseRequest;
import io.orchestry.registry.v1.ListProjectsRequest;
import io.orchestry.registry.v1.ListProjectsResponse;
import io.orchestry.registry.v1.Project;
import jakarta.inject.Singleton;

/**
 * Removes the databases of projects that are being deleted with force, before the registry deletes
 * them: the registry refuses to delete a project its database still holds unless forced, and a
 * forced delete must not leave a database (a process or container, a volume, a port) without its
 * project. A project without a database is fine (NOT_FOUND); any other failure stops the delete.
 */
@Singleton
public class ProjectDatabases {
    private static final int PAGE_SIZE = 1000;

    private final ServiceStubs stubs;

    public ProjectDatabases(ServiceStubs stubs) {
        this.stubs = stubs;
    }

    /** Deletes {@code project}'s database, its data too; nothing to do when it has none. */
    public void remove(String requestId, String project) {
        try {
            stubs.provisioner(requestId).deleteDatabase(DeleteDatabaseRequest.newBuilder().setProject(project).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** {@link #remove} for every project of {@code organization}. */
    public void removeAllOf(String requestId, String organization) {
        String token = "";
        do {
            ListProjectsResponse page = stubs.registry(requestId).listProjects(ListProjectsRequest.newBuilder()
                    .setOrganization(organization).setPageSize(PAGE_SIZE).setPageToken(token).build());
            for (Project project : page.getProjectsList()) {
                remove(requestId, project.getName());
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
    }
}
