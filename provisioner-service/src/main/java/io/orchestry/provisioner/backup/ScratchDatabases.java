package io.orchestry.provisioner.backup;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Creates and drops the {@code verify_<random>} databases of a scratch server, through its maintenance database. Names
 * are made here and checked against their pattern before a DROP, so nothing but a scratch database is ever dropped.
 */
public final class ScratchDatabases {
    /** What a scratch database's name looks like. */
    public static final Pattern NAME = Pattern.compile("verify_[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScratchDatabases() {
    }

    /** Creates a new empty database on the server {@code admin} reaches and returns its address (same login). */
    public static ServerAddress create(ServerAddress admin) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        String name = "verify_" + HexFormat.of().formatHex(bytes);
        execute(admin, "CREATE DATABASE " + name + " TEMPLATE template0");
        return admin.withDatabase(name);
    }

    /** Drops a scratch database (WITH FORCE: a restore left behind is disconnected); no error when it is gone. */
    public static void drop(ServerAddress admin, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a scratch database: " + name);
        }
        execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /**
     * Drops every scratch database on the server: those a verification left when its provisioner died mid-way. Only
     * for a server no verification of this process uses yet.
     */
    public static List<String> dropLeftovers(ServerAddress admin) {
        List<String> names = new ArrayList<>();
        try (Connection c = admin.connect(60); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_catalog.pg_database WHERE datname ~ '^verify_[0-9a-f]{16}$'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new BackupException("scratch server " + admin.host() + ":" + admin.port() + ": "
                    + admin.scrub(e.getMessage()), e);
        }
        names.forEach(name -> drop(admin, name));
        return names;
    }

    private static void execute(ServerAddress admin, String sql) {
        try (Connection c = admin.connect(60); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new BackupException("scratch server " + admin.host() + ":" + admin.port() + ": "
                    + admin.scrub(e.getMessage()), e);
        }
    }
}
