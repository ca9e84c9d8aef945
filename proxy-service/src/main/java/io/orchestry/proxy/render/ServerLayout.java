package io.orchestry.proxy.render;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.UpstreamKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Lays routes out as nginx servers, locations and upstreams (pure).
 *
 * <p>For each host name the candidate routes are: the routes naming it, then the routes naming no host, then the default
 * route; on the same path prefix the earlier kind wins, and between routes of one kind the earlier in the model's order.
 * nginx then picks the longest matching prefix. Hosts with the same locations share one {@code server} (so a name is
 * never in two servers); requests for other hosts go to the default server (host-less routes and the default route),
 * and a path no route takes answers 404. TLS routes are served the same way on the HTTPS port, one certificate per
 * server (the first route naming the host); on plain HTTP a TLS route with {@code redirectHttp} answers 301.
 *
 * <p>One upstream per (app, port): when routes to the same upstream ask for different load balancing, the first route's
 * method is used.
 */
final class ServerLayout {
    private final NginxSettings settings;
    private final List<RoutePlan> plans;

    ServerLayout(NginxSettings settings, List<RoutePlan> plans) {
        this.settings = settings;
        this.plans = plans;
    }

    List<ConfigView.Upstream> upstreams() {
        Map<UpstreamKey, RoutePlan> first = new LinkedHashMap<>();
        for (RoutePlan plan : plans) {
            first.putIfAbsent(plan.route().upstream(), plan);
        }
        List<ConfigView.Upstream> upstreams = new ArrayList<>();
        for (RoutePlan plan : first.values()) {
            if (!settings.lua() && plan.endpoints().isEmpty()) {
                continue;
            }
            List<String> servers = new ArrayList<>();
            if (!settings.lua()) {
                for (Endpoint endpoint : plan.endpoints()) {
                    servers.add(NginxEscaping.endpointHost("endpoint host", endpoint.host()) + ":"
                            + NginxEscaping.port("endpoint port", endpoint.port()));
                }
            }
            LoadBalancing method = plan.route().loadBalancing();
            // with Lua the balancer implements the method (it gets it with the endpoints), nginx's stays out
            boolean nginxMethod = !settings.lua();
            upstreams.add(new ConfigView.Upstream(upstreamName(plan.route()),
                    nginxMethod && method == LoadBalancing.LEAST_CONN, nginxMethod && method == LoadBalancing.IP_HASH,
                    settings.lua(), servers));
        }
        return upstreams;
    }

    List<ConfigView.Server> servers() {
        List<ConfigView.Server> servers = new ArrayList<>();
        String httpListen = listen(settings.httpPort());
        servers.addAll(hostServers(false, httpListen));
        servers.add(server(httpListen, false, true, List.of(), locations(candidates(null, false), false), null));
        boolean anyTls = plans.stream().anyMatch(p -> p.route().tls() != null);
        if (!anyTls) {
            return servers;
        }
        if (settings.httpsPort() == 0) {
            throw new IllegalArgumentException("a route has TLS but no HTTPS port is configured");
        }
        String httpsListen = listen(settings.httpsPort());
        servers.addAll(hostServers(true, httpsListen));
        List<RoutePlan> anyHost = candidates(null, true);
        if (anyHost.isEmpty()) {
            servers.add(new ConfigView.Server(httpsListen, true, true, List.of(), null, null, true, List.of(), true));
        } else {
            servers.add(server(httpsListen, true, true, List.of(), locations(anyHost, true), anyHost.get(0)));
        }
        return servers;
    }

    /** One server per group of hosts with the same locations (and, over TLS, the same certificate). */
    private List<ConfigView.Server> hostServers(boolean tls, String listen) {
        TreeSet<String> hosts = new TreeSet<>();
        for (RoutePlan plan : plans) {
            if (!tls || plan.route().tls() != null) {
                hosts.addAll(plan.route().hosts());
            }
        }
        Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
        Map<List<Object>, List<ConfigView.Location>> groupLocations = new LinkedHashMap<>();
        Map<List<Object>, RoutePlan> groupCertificate = new LinkedHashMap<>();
        for (String host : hosts) {
            List<RoutePlan> candidates = candidates(host, tls);
            List<ConfigView.Location> locations = locations(candidates, tls);
            RoutePlan certificate = tls ? candidates.get(0) : null;
            List<Object> key = List.of(locations, tls ? certificate.route().id() : "");
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(NginxEscaping.hostName("route host", host));
            groupLocations.put(key, locations);
            groupCertificate.put(key, certificate);
        }
        List<ConfigView.Server> servers = new ArrayList<>();
        groups.forEach((key, names) ->
                servers.add(server(listen, tls, false, names, groupLocations.get(key), groupCertificate.get(key))));
        return servers;
    }

    private ConfigView.Server server(String listen, boolean tls, boolean defaultServer, List<String> names,
                                     List<ConfigView.Location> locations, RoutePlan certificate) {
        boolean rootTaken = locations.stream().anyMatch(l -> l.prefix().equals("/"));
        String cert = tls ? NginxEscaping.quotedPath("certificateFile", certificate.certificateFile()) : null;
        String key = tls ? NginxEscaping.quotedPath("keyFile", certificate.keyFile()) : null;
        return new ConfigView.Server(listen, tls, defaultServer, names, cert, key, false, locations, !rootTaken);
    }

    /** The routes a host (null: any other host) may take, by kind, then in the model's order; one per path prefix. */
    private List<RoutePlan> candidates(String host, boolean tls) {
        List<RoutePlan> ordered = new ArrayList<>();
        for (RoutePlan plan : plans) {
            if (host != null && plan.route().hosts().contains(host)) {
                ordered.add(plan);
            }
        }
        for (RoutePlan plan : plans) {
            if (plan.route().hosts().isEmpty()) {
                ordered.add(plan);
            }
        }
        for (RoutePlan plan : plans) {
            if (plan.route().isDefault() && !plan.route().hosts().isEmpty()) {
                ordered.add(plan);
            }
        }
        Map<String, RoutePlan> byPrefix = new LinkedHashMap<>();
        for (RoutePlan plan : ordered) {
            if (!tls || plan.route().tls() != null) {
                byPrefix.putIfAbsent(base(plan.route()), plan);
            }
        }
        return new ArrayList<>(byPrefix.values());
    }

    private List<ConfigView.Location> locations(List<RoutePlan> candidates, boolean tls) {
        List<ConfigView.Location> locations = new ArrayList<>();
        for (RoutePlan plan : candidates) {
            locations.add(location(plan, tls));
        }
        locations.sort((a, b) -> a.prefix().compareTo(b.prefix()));
        return locations;
    }

    private ConfigView.Location location(RoutePlan plan, boolean tls) {
        Route route = plan.route();
        String base = base(route);
        String prefix = base.isEmpty() ? "/" : base + "/";
        boolean redirect = !tls && route.tls() != null && route.tls().redirectHttp();
        boolean unavailable = !redirect && !settings.lua() && plan.endpoints().isEmpty();
        String connect = route.timeouts().connect() == null ? null
                : NginxEscaping.milliseconds("connect timeout", route.timeouts().connect());
        String read = route.timeouts().read() == null ? null
                : NginxEscaping.milliseconds("read timeout", route.timeouts().read());
        return new ConfigView.Location(
                NginxEscaping.pathPrefix("path prefix", prefix),
                base.isEmpty() ? null : NginxEscaping.pathPrefix("path prefix", base),
                NginxEscaping.quotedName("route id", route.id()),
                NginxEscaping.quotedName("app", route.app()),
                upstreamName(route),
                route.stripPrefix() && !base.isEmpty() ? NginxEscaping.pathRegex("path prefix", base) : null,
                redirect ? String.valueOf(NginxEscaping.port("https port", settings.httpsPort())) : null,
                unavailable,
                !redirect && !unavailable,
                settings.lua(),
                connect,
                read);
    }

    /** The path prefix without trailing slashes: {@code /api/} and {@code /api} are one location; "" for {@code /}. */
    private static String base(Route route) {
        String prefix = NginxEscaping.pathPrefix("path prefix", Objects.requireNonNull(route.pathPrefix(), "path prefix"));
        int end = prefix.length();
        while (end > 0 && prefix.charAt(end - 1) == '/') {
            end--;
        }
        return prefix.substring(0, end);
    }

    private static String upstreamName(Route route) {
        return NginxEscaping.upstreamName("upstream", route.upstream().nginxName());
    }

    private String listen(int port) {
        return NginxEscaping.endpointHost("listen address", settings.listenAddress()) + ":"
                + NginxEscaping.port("listen port", port);
    }
}
