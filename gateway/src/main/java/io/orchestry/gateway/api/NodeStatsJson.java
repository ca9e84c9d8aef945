package io.orchestry.gateway.api;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/** {@code GET /api/v1/nodes/stats}: nodes by status, and the fleet's resources. */
@Serdeable
public record NodeStatsJson(int total, Map<String, Integer> byStatus, ResourcesJson capacity, ResourcesJson allocatable,
                            ResourcesJson allocated) {
}
