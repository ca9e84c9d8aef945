package io.orchestry.proxy.persistence;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.SerdeImport;
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
import java.time.Instant;

/**
 * The outbox rows' JSON: a route without its key, a revision without its config, a status. Written in the transaction
 * of the change, read back by the feed.
 */
@Singleton
@SerdeImport(Route.class)
@SerdeImport(RouteTls.class)
@SerdeImport(RouteTimeouts.class)
@SerdeImport(Revision.class)
@SerdeImport(ProxyState.class)
class EventDocuments {
    private final JsonMapper json;

    EventDocuments(JsonMapper json) {
        this.json = json;
    }

    void route(Connection tx, long rv, ProxyEvent.Type type, Route route, Instant at) throws SQLException {
        Route clean = route.tls() == null ? route : new Route(route.id(), route.app(), route.project(), route.hosts(),
                route.pathPrefix(), route.stripPrefix(), route.portName(), route.tls().withoutKey(), route.loadBalancing(),
                route.timeouts(), route.isDefault(), route.createTime(), route.updateTime(), route.version());
        insert(tx, rv, ProxyEvent.Kind.ROUTE, type, write(clean), at);
    }

    void revision(Connection tx, long rv, ProxyEvent.Type type, Revision revision, Instant at) throws SQLException {
        insert(tx, rv, ProxyEvent.Kind.REVISION, type, write(withoutConfig(revision)), at);
    }

    void status(Connection tx, long rv, ProxyState state, Instant at) throws SQLException {
        insert(tx, rv, ProxyEvent.Kind.STATUS, ProxyEvent.Type.MODIFIED, write(state), at);
    }

    ProxyEvent read(long rv, String kind, String type, String text) {
        ProxyEvent.Kind k = ProxyEvent.Kind.valueOf(kind);
        ProxyEvent.Type t = ProxyEvent.Type.valueOf(type);
        return switch (k) {
            case ROUTE -> new ProxyEvent(k, t, read(text, Route.class), null, null, rv);
            case REVISION -> new ProxyEvent(k, t, null, read(text, Revision.class), null, rv);
            case STATUS -> new ProxyEvent(k, t, null, null, read(text, ProxyState.class), rv);
        };
    }

    static Revision withoutConfig(Revision r) {
        return new Revision(r.id(), r.number(), "", r.checksum(), r.outcome(), r.error(), r.trigger(), r.reason(),
                r.createTime(), r.finishTime());
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
