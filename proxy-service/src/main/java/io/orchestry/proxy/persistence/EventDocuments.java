package io.orchestry.proxy.persistence;

import io.micronaut.json.JsonMapper;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.domain.RouteTls;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outbox rows' JSON: a route without its key (the document has no field for it), a revision without its config, a
 * status. Written in the transaction of the change, read back by the feed.
 */
@Singleton
class EventDocuments {
    /** A route's JSON: every field written, empty ones too (serde leaves empty values out by default). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RouteDocument(String id, String app, String project, List<String> hosts, String pathPrefix, boolean stripPrefix,
                         String portName, @Nullable String certificatePem, boolean redirectHttp, @Nullable Instant expireTime,
                         LoadBalancing loadBalancing, @Nullable Long connectMillis, @Nullable Long readMillis,
                         boolean isDefault, Instant createTime, Instant updateTime, long version) {
        static RouteDocument of(Route r) {
            RouteTls tls = r.tls();
            return new RouteDocument(r.id(), r.app(), r.project(), r.hosts(), r.pathPrefix(), r.stripPrefix(), r.portName(),
                    tls == null ? null : tls.certificatePem(), tls != null && tls.redirectHttp(),
                    tls == null ? null : tls.expireTime(), r.loadBalancing(), millis(r.timeouts().connect()),
                    millis(r.timeouts().read()), r.isDefault(), r.createTime(), r.updateTime(), r.version());
        }

        Route route() {
            return new Route(id, app, project, hosts == null ? List.of() : hosts, pathPrefix, stripPrefix, portName,
                    certificatePem == null ? null : new RouteTls(certificatePem, null, redirectHttp, expireTime),
                    loadBalancing, new RouteTimeouts(duration(connectMillis), duration(readMillis)), isDefault, createTime,
                    updateTime, version);
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RevisionDocument(String id, long number, String checksum, RevisionOutcome outcome, String error,
                            RevisionTrigger trigger, String reason, Instant createTime, @Nullable Instant finishTime) {
        static RevisionDocument of(Revision r) {
            return new RevisionDocument(r.id(), r.number(), r.checksum(), r.outcome(), r.error(), r.trigger(), r.reason(),
                    r.createTime(), r.finishTime());
        }

        Revision revision() {
            return new Revision(id, number, "", empty(checksum), outcome, empty(error), trigger, empty(reason), createTime,
                    finishTime);
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record StatusDocument(@Nullable String state, @Nullable String mode, long pid, @Nullable String nginxVersion,
                          @Nullable String configPath, long currentRevision, @Nullable Instant lastReloadTime,
                          @Nullable RevisionOutcome lastReloadOutcome, @Nullable String lastError, int routeCount,
                          int upstreamServerCount, int generations, boolean lua) {
        static StatusDocument of(ProxyState s) {
            return new StatusDocument(s.state(), s.mode(), s.pid(), s.nginxVersion(), s.configPath(), s.currentRevision(),
                    s.lastReloadTime(), s.lastReloadOutcome(), s.lastError(), s.routeCount(), s.upstreamServerCount(),
                    s.generations(), s.lua());
        }

        ProxyState toState() {
            return new ProxyState(empty(state), empty(mode), pid, empty(nginxVersion), empty(configPath), currentRevision,
                    lastReloadTime, lastReloadOutcome, empty(lastError), routeCount, upstreamServerCount, generations, lua);
        }
    }

    private final JsonMapper json;

    EventDocuments(JsonMapper json) {
        this.json = json;
    }

    void route(Connection tx, long rv, ProxyEvent.Type type, Route route, Instant at) throws SQLException {
        insert(tx, rv, ProxyEvent.Kind.ROUTE, type, write(RouteDocument.of(route)), at);
    }

    void revision(Connection tx, long rv, ProxyEvent.Type type, Revision revision, Instant at) throws SQLException {
        insert(tx, rv, ProxyEvent.Kind.REVISION, type, write(RevisionDocument.of(revision)), at);
    }

    void status(Connection tx, long rv, ProxyState state, Instant at) throws SQLException {
        insert(tx, rv, ProxyEvent.Kind.STATUS, ProxyEvent.Type.MODIFIED, write(StatusDocument.of(state)), at);
    }

    ProxyEvent read(long rv, String kind, String type, String text) {
        ProxyEvent.Kind k = ProxyEvent.Kind.valueOf(kind);
        ProxyEvent.Type t = ProxyEvent.Type.valueOf(type);
        return switch (k) {
            case ROUTE -> new ProxyEvent(k, t, read(text, RouteDocument.class).route(), null, null, rv);
            case REVISION -> new ProxyEvent(k, t, null, read(text, RevisionDocument.class).revision(), null, rv);
            case STATUS -> new ProxyEvent(k, t, null, null, read(text, StatusDocument.class).toState(), rv);
        };
    }

    private static @Nullable Long millis(@Nullable Duration value) {
        return value == null ? null : value.toMillis();
    }

    private static @Nullable Duration duration(@Nullable Long millis) {
        return millis == null ? null : Duration.ofMillis(millis);
    }

    private static String empty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static void insert(Connection tx, long rv, ProxyEvent.Kind kind, ProxyEvent.Type type, String document, Instant at)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO proxy_event (resource_version, kind, type, json, occurred_at) VALUES (?, ?, ?, ?::jsonb, ?)")) {
            ps.setLong(1, rv);
            ps.setString(2, kind.name());
            ps.setString(3, type.name());
            ps.setString(4, document);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
