package io.orchestry.provisioner.runtime.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * Whether a server accepts connections with the credentials clients will use: a real login over TCP (JDBC,
 * scram-sha-256) and {@code SELECT 1}. The one readiness check of databases, for the reconciler and for tests.
 */
public final class DatabaseReadiness {
    private DatabaseReadiness() {
    }

    /** One attempt: null when it answered, else why not. */
    public static String check(String host, int port, String database, String user, String password, Duration timeout) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        props.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        props.setProperty("loginTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        try (Connection c = DriverManager.getConnection(url(host, port, database), props)) {
            c.createStatement().execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** Tries every {@code pause} until it answers or {@code within} has passed: null when it answered, else the last error. */
    public static String await(String host, int port, String database, String user, String password, Duration within,
                               Duration pause, Clock clock) {
        Instant deadline = clock.instant().plus(within);
        String last;
        do {
            last = check(host, port, database, user, password, Duration.ofSeconds(2));
            if (last == null) {
                return null;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        } while (clock.instant().isBefore(deadline));
        return last;
    }

    public static String url(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
