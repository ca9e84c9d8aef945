package io.orchestry.registry.grpc;

import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.error.NotFoundException;
import io.orchestry.registry.domain.ProjectRepository;
import io.orchestry.registry.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Organizations and projects over gRPC against PostgreSQL. */
@MicronautTest(transactional = false)
class TenantTest extends RegistryServiceTest {
    @Inject
    ProjectRepository projectRepository;

    private Organization organization(String name) {
        return registry().createOrganization(CreateOrganizationRequest.newBuilder().setName(name)
                .setDisplayName("The " + name + " company").putLabels("tier", "gold").build()).getOrganization();
    }

    private Project project(String name, String organization) {
        return registry().createProject(CreateProjectRequest.newBuilder().setName(name).setOrganization(organization)
                .build()).getProject();
    }

    private static Status.Code code(Executable call) {
        return Status.fromThrowable(assertThrows(StatusRuntimeException.class, call)).getCode();
    }

    @Test
    void organization_createGetListUpdate() {
        Organization created = organization("acme");
        assertEquals("The acme company", created.getDisplayName());
        assertEquals(0, created.getProjectCount());
        assertEquals(created, registry().getOrganization(GetOrganizationRequest.newBuilder().setName("acme").build()).getOrganization());
        assertTrue(registry().listOrganizations(ListOrganizationsRequest.getDefaultInstance()).getOrganizationsList()
                .stream().anyMatch(o -> o.getName().equals("acme")));

        Organization renamed = registry().updateOrganization(UpdateOrganizationRequest.newBuilder().setName("acme")
                .setVersion(created.getVersion()).setUpdateMask(FieldMask.newBuilder().addPaths("display_name"))
                .setDisplayName("ACME Inc.").build()).getOrganization();
        assertEquals("ACME Inc.", renamed.getDisplayName());
        assertEquals(Map.of("tier", "gold"), renamed.getLabelsMap(), "labels not in the mask stay");
        assertEquals(Status.Code.ABORTED, code(() -> registry().updateOrganization(UpdateOrganizationRequest.newBuilder()
                .setName("acme").setVersion(created.getVersion()).setUpdateMask(FieldMask.newBuilder().addPaths("labels")).build())));
    }

    @Test
    void badInput_andDuplicates_andMissing() {
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> organization("Not A Label")));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> organization("x".repeat(64))));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> registry().createOrganization(CreateOrganizationRequest
                .newBuilder().setName("ctl").setDisplayName("bell\u0007").build())));
        organization("dup-org");
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> organization("dup-org")));
        assertEquals(Status.Code.NOT_FOUND, code(() -> registry().getOrganization(GetOrganizationRequest.newBuilder().setName("nope").build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> project("orphan", "nope")));
    }

    @Test
    void projectInsert_ofAnOrganizationThatIsGone_isNotFound_namingTheOrganization() {
        // the organization went away between the service's check and the insert: the foreign key says so
        NotFoundException e = assertThrows(NotFoundException.class, () -> projectRepository.insert(
                new io.orchestry.registry.domain.Project("ghost-web", "ghost-org", "", Map.of(), Instant.now(), 1, List.of())));
        assertEquals("organization", e.kind());
        assertEquals("ghost-org", e.name());
    }

    @Test
    void projectNames_areUniqueAcrossOrganizations() {
        organization("org-one");
        organization("org-two");
        project("shop", "org-one");
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> project("shop", "org-two")));
        assertEquals("org-one", registry().getProject(GetProjectRequest.newBuilder().setName("shop").build()).getProject().getOrganization());
    }

    @Test
    void deleteOrganization_withProjects_isRefused_unlessForced_andForceTakesTheProjects() {
        organization("busy");
        project("busy-web", "busy");
        project("busy-api", "busy");
        assertEquals(2, registry().getOrganization(GetOrganizationRequest.newBuilder().setName("busy").build())
                .getOrganization().getProjectCount());
        List<String> listed = registry().listProjects(ListProjectsRequest.newBuilder().setOrganization("busy").build())
                .getProjectsList().stream().map(Project::getName).toList();
        assertEquals(List.of("busy-api", "busy-web"), listed);

        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> registry().deleteOrganization(
                DeleteOrganizationRequest.newBuilder().setName("busy").build())));
        registry().deleteOrganization(DeleteOrganizationRequest.newBuilder().setName("busy").setForce(true).build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> registry().getProject(GetProjectRequest.newBuilder().setName("busy-web").build())));
    }

    @Test
    void deleteProject_thenTheEmptyOrganization() {
        organization("small");
        project("small-web", "small");
        registry().deleteProject(DeleteProjectRequest.newBuilder().setName("small-web").build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> registry().deleteProject(DeleteProjectRequest.newBuilder().setName("small-web").build())));
        registry().deleteOrganization(DeleteOrganizationRequest.newBuilder().setName("small").build());
    }

    @Test
    void deleteProject_ofAnotherOrganization_isNotFound_andKeepsIt() {
        organization("mine");
        organization("theirs");
        project("theirs-web", "theirs");
        assertEquals(Status.Code.NOT_FOUND, code(() -> registry().deleteProject(DeleteProjectRequest.newBuilder()
                .setName("theirs-web").setOrganization("mine").build())));
        assertEquals("theirs", registry().getProject(GetProjectRequest.newBuilder().setName("theirs-web").build())
                .getProject().getOrganization());
        registry().deleteProject(DeleteProjectRequest.newBuilder().setName("theirs-web").setOrganization("theirs").build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> registry().getProject(GetProjectRequest.newBuilder().setName("theirs-web").build())));
    }

    @Test
    void listOrganizations_pages() {
        for (int i = 0; i < 5; i++) {
            organization("page-org-" + i);
        }
        ListOrganizationsResponse first = registry().listOrganizations(ListOrganizationsRequest.newBuilder().setPageSize(2).build());
        assertEquals(2, first.getOrganizationsCount());
        ListOrganizationsResponse second = registry().listOrganizations(ListOrganizationsRequest.newBuilder().setPageSize(2)
                .setPageToken(first.getNextPageToken()).build());
        assertTrue(second.getOrganizations(0).getName().compareTo(first.getOrganizations(1).getName()) > 0);
    }

    private Project hold(String project, String holder, boolean held) {
        return registry().setProjectHold(SetProjectHoldRequest.newBuilder().setProject(project).setHolder(holder)
                .setHeld(held).build()).getProject();
    }

    private Project getProject(String name) {
        return registry().getProject(GetProjectRequest.newBuilder().setName(name).build()).getProject();
    }

    @Test
    void projectHold_isIdempotent_listedInGetAndList_andReleased() {
        organization("hold-org");
        assertEquals(List.of(), project("hold-web", "hold-org").getHoldsList());
        assertEquals(List.of("database"), hold("hold-web", "database", true).getHoldsList());
        assertEquals(List.of("database"), hold("hold-web", "database", true).getHoldsList(), "a second hold is the same hold");
        assertEquals(List.of("cache", "database"), hold("hold-web", "cache", true).getHoldsList(), "in name order");
        assertEquals(List.of("cache", "database"), getProject("hold-web").getHoldsList());
        assertEquals(List.of("cache", "database"), registry().listProjects(ListProjectsRequest.newBuilder()
                .setOrganization("hold-org").build()).getProjects(0).getHoldsList());

        assertEquals(List.of("database"), hold("hold-web", "cache", false).getHoldsList());
        assertEquals(List.of("database"), hold("hold-web", "cache", false).getHoldsList(), "releasing twice is fine");
        assertEquals(List.of(), hold("hold-web", "database", false).getHoldsList());
        registry().deleteProject(DeleteProjectRequest.newBuilder().setName("hold-web").build());
    }

    @Test
    void projectHold_badHolder_isInvalid_missingProject_isNotFound_andNothingIsStored() {
        organization("hold-bad");
        project("hold-bad-web", "hold-bad");
        for (String holder : List.of("", "Database", "9lives", "-x", "has space", "x".repeat(32), "db;drop")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> hold("hold-bad-web", holder, true), holder);
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), holder);
            assertTrue(e.getStatus().getDescription().contains("holder"), e.getStatus().getDescription());
        }
        assertEquals(List.of("x".repeat(31)), hold("hold-bad-web", "x".repeat(31), true).getHoldsList(), "31 characters is the limit");
        hold("hold-bad-web", "x".repeat(31), false);
        assertEquals(List.of(), getProject("hold-bad-web").getHoldsList());
        assertEquals(Status.Code.NOT_FOUND, code(() -> hold("no-such-project", "database", true)));
        assertEquals(Status.Code.NOT_FOUND, code(() -> hold("no-such-project", "database", false)));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> hold("Not A Project", "database", true)));
    }

    @Test
    void deleteProject_withAHold_isRefusedNamingIt_unlessForced() {
        organization("held-org");
        project("held-web", "held-org");
        hold("held-web", "database", true);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> registry().deleteProject(
                DeleteProjectRequest.newBuilder().setName("held-web").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertEquals("project 'held-web' still has its database; delete it first, or force", refused.getStatus().getDescription());
        assertEquals(List.of("database"), getProject("held-web").getHoldsList(), "a refused delete keeps the project and its hold");
        assertEquals(Status.Code.NOT_FOUND, code(() -> registry().deleteProject(DeleteProjectRequest.newBuilder()
                .setName("held-web").setOrganization("other-org").setForce(true).build())), "force does not cross organizations");

        registry().deleteProject(DeleteProjectRequest.newBuilder().setName("held-web").setForce(true).build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> getProject("held-web")));
        // the hold went with it: a new project of the same name starts free
        assertEquals(List.of(), project("held-web", "held-org").getHoldsList());
        registry().deleteProject(DeleteProjectRequest.newBuilder().setName("held-web").build());
    }

    @Test
    void deleteProject_withTwoHolds_namesBoth() {
        organization("twice-org");
        project("twice-web", "twice-org");
        hold("twice-web", "database", true);
        hold("twice-web", "backups", true);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> registry().deleteProject(
                DeleteProjectRequest.newBuilder().setName("twice-web").build()));
        assertEquals("project 'twice-web' still has its backups, its database; delete them first, or force",
                refused.getStatus().getDescription());
    }

    @Test
    void forcedOrganizationDelete_leavesNoHoldBehind() throws Exception {
        organization("gone-org");
        project("gone-web", "gone-org");
        hold("gone-web", "database", true);
        registry().deleteOrganization(DeleteOrganizationRequest.newBuilder().setName("gone-org").setForce(true).build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> getProject("gone-web")));
        try (Connection connection = database().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM registry.project_hold WHERE project = 'gone-web'")) {
            assertTrue(rows.next());
            assertEquals(0, rows.getInt(1), "no hold row outlives its project");
        }
        organization("gone-org");
        assertEquals(List.of(), project("gone-web", "gone-org").getHoldsList());
    }
}
