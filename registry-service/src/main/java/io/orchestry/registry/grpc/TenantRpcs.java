package io.orchestry.registry.grpc;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.registry.domain.Organization;
import io.orchestry.registry.domain.Project;
import io.orchestry.registry.domain.TenantService;
import io.orchestry.registry.v1.*;
import jakarta.inject.Singleton;


/** The organization and project RPCs of the registry contract: map, delegate, map back. */
@Singleton
class TenantRpcs {
    private final TenantService tenants;

    TenantRpcs(TenantService tenants) {
        this.tenants = tenants;
    }

    CreateOrganizationResponse create(CreateOrganizationRequest request) {
        return CreateOrganizationResponse.newBuilder().setOrganization(toProto(tenants.createOrganization(
                request.getName(), request.getDisplayName(), request.getLabelsMap()))).build();
    }

    GetOrganizationResponse get(GetOrganizationRequest request) {
        return GetOrganizationResponse.newBuilder().setOrganization(toProto(tenants.getOrganization(request.getName()))).build();
    }

    ListOrganizationsResponse list(ListOrganizationsRequest request) {
        Page<Organization> page = tenants.listOrganizations(
                PageRequest.ofGrpc(TenantService.ORGANIZATIONS, request.getPageSize(), request.getPageToken()));
        return ListOrganizationsResponse.newBuilder()
                .addAllOrganizations(page.map(TenantRpcs::toProto).items())
                .setNextPageToken(page.nextPageToken())
                .build();
    }

    UpdateOrganizationResponse update(UpdateOrganizationRequest request) {
        String displayName = null;
        java.util.Map<String, String> labels = null;
        if (request.getUpdateMask().getPathsCount() == 0) {
            throw new InvalidArgumentException("update_mask", "name at least one field to change: display_name, labels");
        }
        for (String path : request.getUpdateMask().getPathsList()) {
            switch (path) {
                case "display_name" -> displayName = request.getDisplayName();
                case "labels" -> labels = request.getLabelsMap();
                default -> throw new InvalidArgumentException("update_mask", "'" + path + "' cannot be changed; paths: display_name, labels");
            }
        }
        return UpdateOrganizationResponse.newBuilder().setOrganization(toProto(
                tenants.updateOrganization(request.getName(), request.getVersion(), displayName, labels))).build();
    }

    DeleteOrganizationResponse delete(DeleteOrganizationRequest request) {
        tenants.deleteOrganization(request.getName(), request.getForce());
        return DeleteOrganizationResponse.getDefaultInstance();
    }

    CreateProjectResponse create(CreateProjectRequest request) {
        return CreateProjectResponse.newBuilder().setProject(toProto(tenants.createProject(request.getName(),
                request.getOrganization(), request.getDisplayName(), request.getLabelsMap()))).build();
    }

    GetProjectResponse get(GetProjectRequest request) {
        return GetProjectResponse.newBuilder().setProject(toProto(tenants.getProject(request.getName()))).build();
    }

    ListProjectsResponse list(ListProjectsRequest request) {
        Page<Project> page = tenants.listProjects(request.getOrganization(),
                PageRequest.ofGrpc(TenantService.PROJECTS, request.getPageSize(), request.getPageToken()));
        return ListProjectsResponse.newBuilder()
                .addAllProjects(page.map(TenantRpcs::toProto).items())
                .setNextPageToken(page.nextPageToken())
                .build();
    }

    DeleteProjectResponse delete(DeleteProjectRequest request) {
        tenants.deleteProject(request.getName(), request.getOrganization(), request.getForce());
        return DeleteProjectResponse.getDefaultInstance();
    }

    SetProjectHoldResponse setHold(SetProjectHoldRequest request) {
        return SetProjectHoldResponse.newBuilder().setProject(toProto(tenants.setProjectHold(request.getProject(),
                request.getHolder(), request.getHeld()))).build();
    }

    private static io.orchestry.registry.v1.Organization toProto(Organization o) {
        return io.orchestry.registry.v1.Organization.newBuilder()
                .setName(o.name())
                .setDisplayName(o.displayName())
                .putAllLabels(o.labels())
                .setProjectCount(o.projectCount())
                .setCreateTime(ProtoTime.toTimestamp(o.createdAt()))
                .setUpdateTime(ProtoTime.toTimestamp(o.updatedAt()))
                .setVersion(o.version())
                .build();
    }

    private static io.orchestry.registry.v1.Project toProto(Project p) {
        return io.orchestry.registry.v1.Project.newBuilder()
                .setName(p.name())
                .setOrganization(p.organization())
                .setDisplayName(p.displayName())
                .putAllLabels(p.labels())
                .setCreateTime(ProtoTime.toTimestamp(p.createdAt()))
                .setVersion(p.version())
                .addAllHolds(p.holds())
                .build();
    }
}
