package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** {@code GET /api/v1/infrastructure}: every resource in one list, and what can be done to each. */
public final class InfrastructureJson {
    private InfrastructureJson() {
    }

    /**
     * One resource of the infrastructure, whatever service holds it.
     *
     * @param type    node, app, instance, database or route
     * @param id      its name or id, as {@code /api/v1/infrastructure/{type}/{id}/...} takes it
     * @param status  its status as its own endpoint shows it
     * @param detail  a short description (for a node: driver kind and region)
     * @param actions what {@code POST .../start}, {@code POST .../stop} and {@code DELETE} do to it
     */
    @Serdeable
    public record Resource(String type, String id, String status, @Nullable String detail, List<String> actions) {
    }

    /**
     * The infrastructure view: every resource, and what is not reported yet.
     *
     * @param items          the resources
     * @param notYetReported resource types whose service does not serve them yet
     */
    @Serdeable
    public record View(List<Resource> items, List<String> notYetReported) {
    }
}
