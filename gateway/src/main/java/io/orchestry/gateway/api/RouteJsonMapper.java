package io.orchestry.gateway.api;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.Violations;
import io.orchestry.proxy.v1.ConfigRevision;
import io.orchestry.proxy.v1.CreateRouteRequest;
import io.orchestry.proxy.v1.LoadBalancing;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.proxy.v1.RevisionOutcome;
import io.orchestry.proxy.v1.Route;
import io.orchestry.proxy.v1.RouteTimeouts;
import io.orchestry.proxy.v1.TlsConfig;
import io.orchestry.proxy.v1.UpdateRouteRequest;

import java.time.Instant;
import java.util.List;

/**
 * REST JSON to and from the proxy's contract: routes, configuration revisions, nginx's status.
 * Enum values travel in lower case without their prefix ({@code LOAD_BALANCING_LEAST_CONN} is
 * {@code "least_conn"}), durations as ISO-8601 strings. A route's private key goes in, never out.
 */
public final class RouteJsonMapper {
    public static final String OUTCOME_PREFIX = "REVISION_OUTCOME_";
    public static final String NGINX_STATE_PREFIX = "NGINX_STATE_";
    private static final String LOAD_BALANCING_PREFIX = "LOAD_BALANCING_";
    private static final String TRIGGER_PREFIX = "REVISION_TRIGGER_";
    private static final String MODE_PREFIX = "NGINX_MODE_";
    /** Every field UpdateRoute takes: a PUT replaces them all. */
    private static final List<String> EVERY_FIELD = List.of("app", "hosts", "path_prefix", "strip_prefix", "port_name", "tls",
            "load_balancing", "timeouts", "is_default");

    private RouteJsonMapper() {
    }

    static CreateRouteRequest toCreate(RouteRequestJson.Route body) {
        Violations violations = new Violations();
        if (body.version() != null) {
            violations.add("version", "only on PUT: a new route has none");
        }
        CreateRouteRequest request = fields(body, violations);
        violations.throwIfAny();
        return request;
    }

    /** A PUT: every field is replaced (absent ones take their defaults), if {@code version} is current. */
    static UpdateRouteRequest toUpdate(String id, RouteRequestJson.Route body) {
        Violations violations = new Violations();
        violations.require(body.version() != null, "version", "required: the route's current version (GET shows it)");
        CreateRouteRequest fields = fields(body, violations);
        violations.throwIfAny();
        UpdateRouteRequest.Builder request = UpdateRouteRequest.newBuilder().setId(id).setVersion(body.version())
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(EVERY_FIELD))
                .setApp(fields.getApp()).addAllHosts(fields.getHostsList()).setPathPrefix(fields.getPathPrefix())
                .setStripPrefix(fields.getStripPrefix()).setPortName(fields.getPortName())
                .setLoadBalancing(fields.getLoadBalancing()).setIsDefault(fields.getIsDefault());
        if (fields.hasTls()) {
            request.setTls(fields.getTls());
        }
        if (fields.hasTimeouts()) {
            request.setTimeouts(fields.getTimeouts());
        }
        return request.build();
    }

    /** The body's fields as CreateRoute takes them (UpdateRoute has the same ones); what cannot be read joins {@code violations}. */
    private static CreateRouteRequest fields(RouteRequestJson.Route body, Violations violations) {
        CreateRouteRequest.Builder into = CreateRouteRequest.newBuilder();
        if (body.app() == null || body.app().isBlank()) {
            violations.add("app", "required: the app the route sends traffic to");
        } else {
            into.setApp(body.app());
        }
        if (body.hosts() != null) {
            for (int i = 0; i < body.hosts().size(); i++) {
                violations.require(body.hosts().get(i) != null, "hosts[" + i + "]", "must be a host name, not null");
            }
            into.addAllHosts(body.hosts().stream().map(h -> h == null ? "" : h).toList());
        }
        into.setPathPrefix(body.pathPrefix() == null ? "" : body.pathPrefix()).setStripPrefix(Boolean.TRUE.equals(body.stripPrefix()))
                .setPortName(body.portName() == null ? "" : body.portName()).setIsDefault(Boolean.TRUE.equals(body.isDefault()));
        if (body.tls() != null) {
            RouteRequestJson.Tls tls = body.tls();
            into.setTls(TlsConfig.newBuilder().setCertificatePem(tls.certificatePem() == null ? "" : tls.certificatePem())
                    .setPrivateKeyPem(tls.privateKeyPem() == null ? "" : tls.privateKeyPem())
                    .setRedirectHttp(Boolean.TRUE.equals(tls.redirectHttp())).build());
        }
        if (body.loadBalancing() != null) {
            LoadBalancing balancing = JsonValues.parse(LoadBalancing.class, LOAD_BALANCING_PREFIX, body.loadBalancing(),
                    "loadBalancing", violations);
            if (balancing != null) {
                into.setLoadBalancing(balancing);
            }
        }
        if (body.timeouts() != null) {
            RouteTimeouts.Builder timeouts = RouteTimeouts.newBuilder();
            if (body.timeouts().connect() != null) {
                var connect = JsonValues.parseDuration(body.timeouts().connect(), "timeouts.connect", violations);
                if (connect != null) {
                    timeouts.setConnect(connect);
                }
            }
            if (body.timeouts().read() != null) {
                var read = JsonValues.parseDuration(body.timeouts().read(), "timeouts.read", violations);
                if (read != null) {
                    timeouts.setRead(read);
                }
            }
            into.setTimeouts(timeouts.build());
        }
        return into.build();
    }

    /** The route as REST shows it: the private key, should a service ever send one, is dropped here too. */
    public static RouteJson toJson(Route r) {
        RouteJson.Tls tls = r.hasTls() ? new RouteJson.Tls(r.getTls().getCertificatePem(), r.getTls().getRedirectHttp(),
                time(r.getTls().hasCertificateExpireTime(), r.getTls().getCertificateExpireTime())) : null;
        RouteJson.Timeouts timeouts = r.hasTimeouts() ? new RouteJson.Timeouts(
                r.getTimeouts().hasConnect() ? JsonValues.format(r.getTimeouts().getConnect()) : null,
                r.getTimeouts().hasRead() ? JsonValues.format(r.getTimeouts().getRead()) : null) : null;
        return new RouteJson(r.getId(), r.getApp(), r.getProject(), List.copyOf(r.getHostsList()), r.getPathPrefix(),
                r.getStripPrefix(), r.getPortName(), tls, r.getHasTls(),
                JsonValues.nameOrNull(LOAD_BALANCING_PREFIX, r.getLoadBalancing()), timeouts, r.getIsDefault(),
                time(r.hasCreateTime(), r.getCreateTime()), time(r.hasUpdateTime(), r.getUpdateTime()), r.getVersion());
    }

    /** The revision; its config only when {@code withConfig} (lists and events leave it out). */
    public static ConfigRevisionJson toJson(ConfigRevision r, boolean withConfig) {
        return new ConfigRevisionJson(r.getId(), r.getNumber(), withConfig ? r.getConfig() : null, r.getChecksum(),
                JsonValues.nameOrNull(OUTCOME_PREFIX, r.getOutcome()), r.getError(),
                JsonValues.nameOrNull(TRIGGER_PREFIX, r.getTrigger()), r.getReason(),
                time(r.hasCreateTime(), r.getCreateTime()), time(r.hasFinishTime(), r.getFinishTime()));
    }

    public static ProxyStatusJson toJson(ProxyStatus s) {
        return new ProxyStatusJson(JsonValues.nameOrNull(NGINX_STATE_PREFIX, s.getState()),
                JsonValues.nameOrNull(MODE_PREFIX, s.getMode()), s.getPid(), s.getNginxVersion(), s.getConfigPath(),
                s.getCurrentRevision(), time(s.hasLastReloadTime(), s.getLastReloadTime()),
                JsonValues.nameOrNull(OUTCOME_PREFIX, s.getLastReloadOutcome()), s.getLastError(), s.getRouteCount(),
                s.getUpstreamServerCount());
    }

    /** {@code applied,rolled_back}: each a revision outcome, or a 400 naming {@code outcome}. */
    static List<RevisionOutcome> parseOutcomes(@Nullable String outcomes) {
        if (outcomes == null || outcomes.isBlank()) {
            return List.of();
        }
        Violations violations = new Violations();
        List<RevisionOutcome> parsed = new java.util.ArrayList<>();
        for (String one : outcomes.split(",", 0)) {
            RevisionOutcome outcome = JsonValues.parse(RevisionOutcome.class, OUTCOME_PREFIX, one.trim(), "outcome", violations);
            if (outcome != null) {
                parsed.add(outcome);
            }
        }
        violations.throwIfAny();
        return parsed;
    }

    /** A revision number of 0 or more, or a 400 naming {@code revision}. */
    static long revisionNumber(@Nullable Long revision) {
        if (revision != null && revision < 0) {
            throw new InvalidArgumentException("revision", "must be a revision number (1, 2, ...), or absent for the one nginx runs");
        }
        return revision == null ? 0 : revision;
    }

    private static @Nullable Instant time(boolean present, Timestamp timestamp) {
        return present ? ProtoTimes.toInstant(timestamp) : null;
    }
}
