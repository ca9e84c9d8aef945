package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * {@code GET /api/v1/overview}: one page of what matters now.
 *
 * @param nodes            nodes by status, capacity in total and in use
 * @param servicesServing  how many of the services behind the gateway are serving
 * @param recentNodeEvents the latest node status and mode transitions
 * @param recentActions    the latest audited mutations (admins only; null for other roles)
 * @param notYetReported   what the overview will show once the services behind it serve it
 */
@Serdeable
public record OverviewJson(NodeStatsJson nodes, int servicesServing, int servicesTotal, List<NodeEventJson> recentNodeEvents,
                           @Nullable List<AuditJson.Entry> recentActions, List<String> notYetReported) {
}
