package io.orchestry.gateway.api;

import com.google.protobuf.FieldMask;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.registry.v1.CreateOrganizationRequest;
import io.orchestry.registry.v1.CreateProjectRequest;
import io.orchestry.registry.v1.Organization;
import io.orchestry.registry.v1.Project;
import io.orchestry.registry.v1.UpdateOrganizationRequest;

/** Organizations and projects between REST JSON and the registry's contract. */
final class TenantJsonMapper {
    private TenantJsonMapper() {
    }

    static CreateOrganizationRequest toCreateOrganization(TenantJson.Create body) {
        CreateOrganizationRequest.Builder create = CreateOrganizationRequest.newBuilder()
                .setName(orEmpty(body.name())).setDisplayName(orEmpty(body.displayName()));
        JsonLabels.put(body.labels(), create::putLabels);
        return create.build();
    }

    static CreateProjectRequest toCreateProject(String organization, TenantJson.Create body) {
        CreateProjectRequest.Builder create = CreateProjectRequest.newBuilder().setOrganization(organization)
                .setName(orEmpty(body.name())).setDisplayName(orEmpty(body.displayName()));
        JsonLabels.put(body.labels(), create::putLabels);
        return create.build();
    }

    /** A PATCH body: every field given joins the update mask; the version read is required. */
    static UpdateOrganizationRequest toUpdate(String organization, TenantJson.Update body) {
        if (body.version() == null) {
            throw new InvalidArgumentException("version", "required: the version you read, so that no one else's change is lost");
        }
        UpdateOrganizationRequest.Builder update = UpdateOrganizationRequest.newBuilder().setName(organization)
                .setVersion(body.version());
        FieldMask.Builder mask = FieldMask.newBuilder();
        if (body.displayName() != null) {
            mask.addPaths("display_name");
            update.setDisplayName(body.displayName());
        }
        if (body.labels() != null) {
            mask.addPaths("labels");
            JsonLabels.put(body.labels(), update::putLabels);
        }
        return update.setUpdateMask(mask).build();
    }

    static TenantJson.Organization toJson(Organization o) {
        return new TenantJson.Organization(o.getName(), o.getDisplayName(), o.getLabelsMap(), o.getProjectCount(),
                ProtoTimes.toInstant(o.getCreateTime()), ProtoTimes.toInstant(o.getUpdateTime()), o.getVersion());
    }

    static TenantJson.Project toJson(Project p) {
        return new TenantJson.Project(p.getName(), p.getOrganization(), p.getDisplayName(), p.getLabelsMap(),
                ProtoTimes.toInstant(p.getCreateTime()), p.getVersion(), p.getHoldsList());
    }

    /** A registry page token as REST answers it: null on the last page. */
    static String nextPageToken(String token) {
        return token.isEmpty() ? null : token;
    }

    static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
