package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * One replica of an app, as observed on its node.
 *
 * @param state     pending, starting, running, stopping, stopped or failed
 * @param health    unknown, healthy or unhealthy
 * @param usage     the latest sample, when there is one
 * @param lastError the latest failure; absent when none
 * @param runtimeId the driver's handle: a container id, a pid, or a pod name
 */
@Serdeable
public record InstanceJson(
        String id,
        String app,
        String project,
        long revision,
        String nodeName,
        @Nullable Address address,
        List<Port> ports,
        String state,
        String health,
        int restartCount,
        @Nullable Instant startTime,
        @Nullable Usage usage,
        @Nullable String lastError,
        String runtimeId,
        @Nullable Instant createTime) {

    /** Where the proxy sends traffic. */
    @Serdeable
    public record Address(String host, int port) {
    }

    /** One of the app's ports as published on {@code address.host}. */
    @Serdeable
    public record Port(String name, int port) {
    }

    /** Thousandths of a core and bytes in use. */
    @Serdeable
    public record Usage(long cpuMillis, long memoryBytes) {
    }

    /** A page of instances; pass {@code nextPageToken} as {@code pageToken} for the next one (absent on the last page). */
    @Serdeable
    public record Page(List<InstanceJson> items, @Nullable String nextPageToken) {
    }
}
