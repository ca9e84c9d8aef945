package io.orchestry.proxy.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * Traffic for some host names and/or a path prefix, sent to the healthy instances of one app's named port. Every string
 * in it has passed {@code RouteValidator} before it is stored, and the renderer escapes it again on the way out.
 *
 * @param id          a short lower-case id made by the proxy ({@code r-<10 hex>})
 * @param project     the app's project, copied from the provisioner when the route is written
 * @param hosts       exact DNS names (lower case, punycode) or {@code *.example.com}; empty: any host
 * @param pathPrefix  begins with {@code /}; {@code /} when none was given
 * @param portName    one of the app's port names; resolved to the first port at creation when none was given
 * @param tls         null: plain HTTP only
 * @param timeouts    never null; its fields may be
 * @param version     optimistic concurrency, 1 on creation, +1 per update
 */
public record Route(
        String id,
        String app,
        String project,
        List<String> hosts,
        String pathPrefix,
        boolean stripPrefix,
        String portName,
        @Nullable RouteTls tls,
        LoadBalancing loadBalancing,
        RouteTimeouts timeouts,
        boolean isDefault,
        Instant createTime,
        Instant updateTime,
        long version) {

    public Route {
        hosts = List.copyOf(hosts);
    }

    /** The same route without its private key (reads, events, anything kept in memory beside the renderer). */
    public Route withoutKey() {
        return tls == null ? this : new Route(id, app, project, hosts, pathPrefix, stripPrefix, portName, tls.withoutKey(),
                loadBalancing, timeouts, isDefault, createTime, updateTime, version);
    }

    /** The upstream this route sends to. */
    public UpstreamKey upstream() {
        return new UpstreamKey(app, portName);
    }
}
