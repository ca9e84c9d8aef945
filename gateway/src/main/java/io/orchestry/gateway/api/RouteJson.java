package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * A route as {@code GET /api/v1/routes/{id}} shows it: host names and/or a path prefix sent to the
 * healthy instances of one app. Never carries the TLS private key: it is write-only.
 *
 * @param project       the app's project, copied by the proxy
 * @param hosts         exact host names or {@code *.example.com}; empty: any host
 * @param pathPrefix    begins with {@code /}; empty: {@code /}
 * @param stripPrefix   whether {@code pathPrefix} is removed before the request is passed on
 * @param portName      one of the app's ports; empty: its first
 * @param tls           the certificate, when the route serves HTTPS (its key is never shown)
 * @param hasTls        true when a certificate and key are stored
 * @param loadBalancing round_robin, least_conn or ip_hash
 * @param timeouts      unset fields take nginx's defaults
 * @param isDefault     served for requests no other route matches
 * @param version       pass it back on PUT; a stale one is a 409
 */
@Serdeable
public record RouteJson(
        String id,
        String app,
        String project,
        List<String> hosts,
        String pathPrefix,
        boolean stripPrefix,
        String portName,
        @Nullable Tls tls,
        boolean hasTls,
        @Nullable String loadBalancing,
        @Nullable Timeouts timeouts,
        boolean isDefault,
        @Nullable Instant createTime,
        @Nullable Instant updateTime,
        long version) {

    /**
     * A route's certificate as it is read back.
     *
     * @param certificatePem        the chain, leaf first
     * @param redirectHttp          plain HTTP is redirected to HTTPS
     * @param certificateExpireTime the leaf certificate's notAfter
     */
    @Serdeable
    public record Tls(String certificatePem, boolean redirectHttp, @Nullable Instant certificateExpireTime) {
    }

    /**
     * Timeouts towards the app's instances, as ISO-8601 durations ({@code PT5S}).
     *
     * @param connect to establish a connection (proxy_connect_timeout)
     * @param read    between two reads of the response (proxy_read_timeout)
     */
    @Serdeable
    public record Timeouts(@Nullable String connect, @Nullable String read) {
    }

    /** A page of routes; pass {@code nextPageToken} as {@code pageToken} for the next one (absent on the last page). */
    @Serdeable
    public record Page(List<RouteJson> items, @Nullable String nextPageToken) {
    }

    /**
     * A route as a create or a replace left it, and the configuration revision that carries the
     * change (its {@code outcome} so far: {@code pending} while a coalesced reload waits).
     */
    @Serdeable
    public record Change(RouteJson route, @Nullable ConfigRevisionJson revision) {
    }
}
