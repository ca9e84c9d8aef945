package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.orchestry.gateway.audit.AuditRecord;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The audit log in REST JSON. */
public final class AuditJson {
    private AuditJson() {
    }

    /**
     * One mutation.
     *
     * @param actor      the id of the token that made it
     * @param organization the actor's organization; null for a cluster-wide token
     * @param targetOrganization the organization whose resource it touched, when it touched one
     * @param targetType the resource collection it touched (nodes, organizations, projects, tokens, ...)
     * @param status     the HTTP status it got; null if the gateway stopped before answering
     */
    @Serdeable
    @Schema(name = "AuditJson.Record") // the name the OpenAPI document has always used
    public record Entry(long id, Instant time, String requestId, @Nullable String actor, @Nullable String organization,
                         String method, String path, String targetType, @Nullable String targetId,
                         @Nullable String targetOrganization, @Nullable Integer status) {
        static Entry of(AuditRecord r) {
            return new Entry(r.id(), r.at(), r.requestId(), r.actor(), r.organization(), r.method(), r.path(), r.targetType(),
                    r.targetId(), r.targetOrganization(), r.status());
        }
    }

    @Serdeable
    public record Page(List<Entry> items, @Nullable String nextPageToken) {
    }
}
