package io.orchestry.provisioner.backup;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 cluster for a test: initdb and pg_ctl as user postgres (the server refuses root) in a temporary
 * folder, scram-sha-256 logins with a random password, on a free port of 127.0.0.1. {@link #close()} stops it and
 * removes the folder. Skips the test where PostgreSQL 15 is not installed (fails instead under CI=true).
 */
final class PostgresCluster implements AutoCloseable {
    static final String VERSION = "15";
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String USER = "orchestry";

    private final Path folder;
    private final int port;
    private final String user;
    private String password;
    private boolean running;

    private PostgresCluster(Path folder, int port, String user, String password) {
        this.folder = folder;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static void requirePostgres() {
        boolean present = Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(Path.of("/usr/sbin/runuser"));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("PostgreSQL 15 is not installed at " + BIN + " (apt-get install postgresql-15)");
        }
        Assumptions.assumeTrue(present, "PostgreSQL 15 is not installed at " + BIN);
    }

    static PostgresCluster start() {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        return start(USER, "pw-" + HexFormat.of().formatHex(secret), freePort(), null);
    }

    /** A cluster whose superuser is {@code user}, on {@code port}, with {@code database} made in it (when not null). */
    static PostgresCluster start(String user, String password, int port, String database) {
        requirePostgres();
        Path folder;
        try {
            folder = Files.createTempDirectory("orchestry-backup-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresCluster cluster = new PostgresCluster(folder, port, user, password);
        try {
            cluster.init();
            cluster.running = true;
            if (database != null) {
                cluster.createDatabase(database);
            }
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void init() {
        try {
            Files.writeString(folder.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
            Files.createDirectories(folder.resolve("socket"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("chown", "-R", "postgres:postgres", folder.toString());
        asPostgres(BIN.resolve("initdb").toString(), "-D", data().toString(), "-U", user, "--auth-host=scram-sha-256",
                "--auth-local=trust", "--pwfile=" + folder.resolve("pwfile"), "-E", "UTF8", "--locale=C.UTF-8");
        pgCtlStart();
    }

    private void pgCtlStart() {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", folder.resolve("log").toString(),
                "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=" + folder.resolve("socket")
                        + " -c fsync=off", "-w", "-t", "60", "start");
    }

    int port() {
        return port;
    }

    boolean running() {
        return running;
    }

    /** Stops the server (fast); the data stays. */
    void stop() {
        if (running) {
            asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
            running = false;
        }
    }

    /** Starts a stopped server again and sets the superuser's password (over the local socket, which trusts). */
    void startAgain(String newPassword) {
        if (!running) {
            pgCtlStart();
            running = true;
        }
        if (!newPassword.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("test passwords are plain");
        }
        asPostgres(BIN.resolve("psql").toString(), "-h", folder.resolve("socket").toString(), "-p", Integer.toString(port),
                "-U", user, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c",
                "ALTER ROLE \"" + user + "\" PASSWORD '" + newPassword + "'");
        password = newPassword;
    }

    Path folder() {
        return folder;
    }

    private Path data() {
        return folder.resolve("data");
    }

    ServerAddress address(String database) {
        return new ServerAddress("127.0.0.1", port, database, user, password);
    }

    ServerAddress createDatabase(String name) {
        execute(address("postgres"), "CREATE DATABASE " + name);
        return address(name);
    }

    /** The names of the databases on the server, but the templates and postgres. */
    List<String> databases() {
        List<String> names = new ArrayList<>();
        try (Connection c = address("postgres").connect(30); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"
                     + " ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    static void execute(ServerAddress server, String... statements) {
        try (Connection c = server.connect(60); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static long queryLong(ServerAddress server, String sql) {
        try (Connection c = server.connect(60); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (running) {
            asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
            running = false;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void asPostgres(String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + List.of(command));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(List.of(command) + " exited " + p.exitValue() + ": "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
