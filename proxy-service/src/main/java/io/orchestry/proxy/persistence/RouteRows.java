package io.orchestry.proxy.persistence;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.domain.RouteTls;
import io.orchestry.secrets.SecretCipher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;

/** Route rows: the key sealed with the route id as associated data on the way in, opened only when asked for. */
@Singleton
class RouteRows {
    static final String COLUMNS = "id, app, project, hosts, path_prefix, strip_prefix, port_name, tls_certificate_pem,"
            + " tls_key_sealed, tls_redirect_http, tls_expire_time, load_balancing, connect_timeout_ms, read_timeout_ms,"
            + " is_default, create_time, update_time, version";

    private final SecretCipher cipher;

    RouteRows(@Named("routes") SecretCipher cipher) {
        this.cipher = cipher;
    }

    Route read(ResultSet rs, boolean withKey) throws SQLException {
        String certificate = rs.getString("tls_certificate_pem");
        RouteTls tls = null;
        if (certificate != null) {
            String key = withKey ? open(rs.getString("id"), rs.getBytes("tls_key_sealed")) : null;
            tls = new RouteTls(certificate, key, rs.getBoolean("tls_redirect_http"),
                    rs.getTimestamp("tls_expire_time").toInstant());
        }
        return new Route(rs.getString("id"), rs.getString("app"), rs.getString("project"),
                Arrays.asList((String[]) rs.getArray("hosts").getArray()), rs.getString("path_prefix"),
                rs.getBoolean("strip_prefix"), rs.getString("port_name"), tls,
                LoadBalancing.valueOf(rs.getString("load_balancing")),
                new RouteTimeouts(millis(rs, "connect_timeout_ms"), millis(rs, "read_timeout_ms")),
                rs.getBoolean("is_default"), rs.getTimestamp("create_time").toInstant(),
                rs.getTimestamp("update_time").toInstant(), rs.getLong("version"));
    }

    void insert(Connection tx, Route route, long rv) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO route (" + COLUMNS + ", resource_version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(tx, ps, route);
            ps.setLong(19, rv);
            ps.executeUpdate();
        }
    }

    /** Whether the row was at {@code expectedVersion} (and is now the route). */
    boolean update(Connection tx, Route route, long expectedVersion, long rv) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE route SET (" + COLUMNS + ", resource_version)"
                + " = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ? AND version = ?")) {
            bind(tx, ps, route);
            ps.setLong(19, rv);
            ps.setString(20, route.id());
            ps.setLong(21, expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    private void bind(Connection tx, PreparedStatement ps, Route route) throws SQLException {
        ps.setString(1, route.id());
        ps.setString(2, route.app());
        ps.setString(3, route.project());
        ps.setArray(4, tx.createArrayOf("varchar", route.hosts().toArray()));
        ps.setString(5, route.pathPrefix());
        ps.setBoolean(6, route.stripPrefix());
        ps.setString(7, route.portName());
        RouteTls tls = route.tls();
        if (tls == null) {
            ps.setNull(8, Types.VARCHAR);
            ps.setNull(9, Types.BINARY);
            ps.setBoolean(10, false);
            ps.setNull(11, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            if (tls.privateKeyPem() == null) {
                throw new IllegalArgumentException("a route's TLS is stored with its key");
            }
            ps.setString(8, tls.certificatePem());
            ps.setBytes(9, cipher.encrypt(route.id(), tls.privateKeyPem().getBytes(StandardCharsets.UTF_8)));
            ps.setBoolean(10, tls.redirectHttp());
            ps.setTimestamp(11, Timestamp.from(tls.expireTime()));
        }
        ps.setString(12, route.loadBalancing().name());
        setMillis(ps, 13, route.timeouts().connect());
        setMillis(ps, 14, route.timeouts().read());
        ps.setBoolean(15, route.isDefault());
        ps.setTimestamp(16, Timestamp.from(route.createTime()));
        ps.setTimestamp(17, Timestamp.from(route.updateTime()));
        ps.setLong(18, route.version());
    }

    private String open(String id, byte[] sealed) {
        try {
            return new String(cipher.decrypt(id, sealed), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the TLS key of route " + id + " does not open with orchestry.proxy.secrets-key"
                    + " (another key, or a row copied from another route)", e);
        }
    }

    private static @Nullable Duration millis(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(value);
    }

    private static void setMillis(PreparedStatement ps, int index, @Nullable Duration value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value.toMillis());
        }
    }
}
