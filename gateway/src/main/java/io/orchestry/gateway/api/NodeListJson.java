package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A page of nodes; pass {@code nextPageToken} as {@code pageToken} for the next one (absent on the last page). */
@Serdeable
public record NodeListJson(List<NodeJson> items, @Nullable String nextPageToken) {
}
