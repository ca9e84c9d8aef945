package io.orchestry.gateway.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.orchestry.gateway.api.NodeJson;

import java.time.Instant;

/**
 * One change, as {@code /api/v1/events} and {@code /api/v1/ws} send it.
 *
 * @param kind            what changed: {@code node} (later also instance, deployment, scaling,
 *                        recommendation, proxy)
 * @param type            added, modified or deleted
 * @param name            the name of what changed
 * @param app             the app it belongs to, when it belongs to one
 * @param organization    the organization it belongs to; null for cluster-wide things such as nodes
 * @param resourceVersion the source service's resource version of this change
 * @param node            the node after the change, when {@code kind} is {@code node}
 */
@Serdeable
public record EventJson(String kind, String type, String name, @Nullable String app, @Nullable String organization,
                        long resourceVersion, Instant time, @Nullable NodeJson node) {
}
