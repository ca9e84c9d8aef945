package io.orchestry.provisioner.backup;

import io.orchestry.provisioner.runtime.database.DatabaseReadiness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How to reach one database of a PostgreSQL server: the source of a backup, a scratch database, a restore target.
 * Database and user names are checked against a strict pattern (they reach pg_restore's command line and SQL), and
 * {@link #toString()} never shows the password.
 */
public record ServerAddress(String host, int port, String database, String user, String password) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:-]{1,253}");

    public ServerAddress {
        Objects.requireNonNull(password, "password");
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("host " + host + " is not a host name or address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
        requireName("database", database);
        requireName("user", user);
    }

    private static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name " + name + " must match " + NAME.pattern());
        }
    }

    /** The same server, another database on it. */
    public ServerAddress withDatabase(String other) {
        return new ServerAddress(host, port, other, user, password);
    }

    /** A JDBC connection (pgjdbc), logged in with the password; socket reads bounded by {@code socketTimeoutSeconds}. */
    public Connection connect(long socketTimeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "10");
        props.setProperty("socketTimeout", Long.toString(socketTimeoutSeconds));
        props.setProperty("ApplicationName", "orchestry-backup");
        return DriverManager.getConnection(DatabaseReadiness.url(host, port, database), props);
    }

    /** Replaces the password wherever it appears in a text (a tool's output, a driver's message). */
    public String scrub(String text) {
        if (text == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "********");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ServerAddress[" + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
