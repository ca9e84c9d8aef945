package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Organizations and projects in REST JSON. */
public final class TenantJson {
    private TenantJson() {
    }

    @Serdeable
    public record Organization(String name, String displayName, Map<String, String> labels, int projectCount,
                               Instant createTime, Instant updateTime, long version) {
    }

    /**
     * A project.
     *
     * @param holds what other services keep in it (e.g. "database"): while any remains, deleting it needs {@code ?force=true}
     */
    @Serdeable
    public record Project(String name, String organization, String displayName, Map<String, String> labels,
                          Instant createTime, long version, List<String> holds) {
    }

    /** The body of {@code POST /organizations} and {@code POST /organizations/{org}/projects}. */
    @Schema(example = """
            {"name": "acme", "displayName": "Acme Corp", "labels": {"tier": "gold"}}""")
    @Serdeable
    public record Create(@Nullable String name, @Nullable String displayName, @Nullable Map<String, String> labels) {
    }

    /** The body of {@code PATCH /organizations/{org}}: the version read, and what to change. */
    @Schema(example = """
            {"version": 1, "displayName": "Acme Corporation"}""")
    @Serdeable
    public record Update(@Nullable Long version, @Nullable String displayName, @Nullable Map<String, String> labels) {
    }

    @Serdeable
    public record OrganizationPage(List<Organization> items, @Nullable String nextPageToken) {
    }

    @Serdeable
    public record ProjectPage(List<Project> items, @Nullable String nextPageToken) {
    }
}
