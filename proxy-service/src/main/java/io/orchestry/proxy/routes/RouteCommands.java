package io.orchestry.proxy.routes;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.proxy.domain.AppDirectory;
import io.orchestry.proxy.domain.AppPorts;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteRepository;
import io.orchestry.proxy.domain.RouteRequest;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Creates, updates and deletes routes: validated at the edge (nothing is stored on a violation), the app looked up on
 * the provisioner (its project copied, its port resolved), conflicts checked inside the writing transaction.
 */
@Singleton
public class RouteCommands {
    /** The update_mask paths an update may name. */
    public static final Set<String> PATHS = Set.of("app", "hosts", "path_prefix", "strip_prefix", "port_name", "tls",
            "load_balancing", "timeouts", "is_default");

    private final RouteRepository routes;
    private final AppDirectory apps;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RouteCommands(RouteRepository routes, AppDirectory apps, Clock clock) {
        this.routes = routes;
        this.apps = apps;
        this.clock = clock;
    }

    public Route create(RouteRequest request) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        RouteValidator.Valid valid = RouteValidator.validate(request, now);
        AppPorts app = app(valid.app());
        Route route = new Route(newId(), valid.app(), app.project(), valid.hosts(), valid.pathPrefix(), valid.stripPrefix(),
                port(app, valid.portName()), valid.tls(), valid.loadBalancing(), valid.timeouts(), valid.isDefault(),
                now, now, 1);
        return routes.create(route, others -> RouteConflicts.check(route, others));
    }

    /**
     * @param paths  the update mask: which of {@code values} replace the stored route's (see {@link #PATHS})
     * @param values the new values of those paths; the others are ignored
     */
    public Route update(String id, long version, Set<String> paths, RouteRequest values) {
        if (paths.isEmpty()) {
            throw new InvalidArgumentException("update_mask", "name the fields to change, among " + String.join(", ", sorted()));
        }
        for (String path : paths) {
            if (!PATHS.contains(path)) {
                throw new InvalidArgumentException("update_mask", "unknown path '" + clip(path) + "': paths are among "
                        + String.join(", ", sorted()));
            }
        }
        Route current = routes.getWithKey(id).orElseThrow(() -> new NotFoundException("route", id));
        RouteRequest merged = merge(current, paths, values);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        RouteValidator.Valid valid = RouteValidator.validate(merged, paths.contains("tls") ? now : Instant.MIN);
        String project = current.project();
        String port = valid.portName();
        if (paths.contains("app") || paths.contains("port_name")) {
            AppPorts app = app(valid.app());
            project = app.project();
            port = port(app, valid.portName());
        }
        Route route = new Route(id, valid.app(), project, valid.hosts(), valid.pathPrefix(), valid.stripPrefix(), port,
                valid.tls(), valid.loadBalancing(), valid.timeouts(), valid.isDefault(), current.createTime(), now,
                version + 1);
        return routes.update(route, version, others -> RouteConflicts.check(route, others));
    }

    /** The route as it was. */
    public Route delete(String id) {
        return routes.delete(id);
    }

    private static RouteRequest merge(Route current, Set<String> paths, RouteRequest values) {
        RouteRequest.Tls tls = current.tls() == null ? null : new RouteRequest.Tls(current.tls().certificatePem(),
                current.tls().privateKeyPem(), current.tls().redirectHttp());
        return new RouteRequest(
                paths.contains("app") ? values.app() : current.app(),
                paths.contains("hosts") ? values.hosts() : current.hosts(),
                paths.contains("path_prefix") ? values.pathPrefix() : current.pathPrefix(),
                paths.contains("strip_prefix") ? values.stripPrefix() : current.stripPrefix(),
                paths.contains("port_name") ? values.portName() : current.portName(),
                paths.contains("tls") ? values.tls() : tls,
                paths.contains("load_balancing") ? values.loadBalancing() : current.loadBalancing(),
                paths.contains("timeouts") ? values.timeouts() : current.timeouts(),
                paths.contains("is_default") ? values.isDefault() : current.isDefault());
    }

    private AppPorts app(String name) {
        AppPorts app = apps.find(name).orElseThrow(() -> new NotFoundException("app", name));
        if (app.portNames().isEmpty()) {
            throw new FailedPreconditionException("app '" + name + "' has no ports: give it a port before routing to it");
        }
        return app;
    }

    private static String port(AppPorts app, String portName) {
        if (portName.isEmpty()) {
            return app.portNames().get(0);
        }
        if (!app.portNames().contains(portName)) {
            throw new InvalidArgumentException("port_name", "app '" + app.app() + "' has no port '" + portName + "' (it has "
                    + String.join(", ", app.portNames()) + ")");
        }
        return portName;
    }

    private String newId() {
        byte[] bytes = new byte[5];
        random.nextBytes(bytes);
        return "r-" + HexFormat.of().formatHex(bytes);
    }

    private static List<String> sorted() {
        return PATHS.stream().sorted().toList();
    }

    private static String clip(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
