package io.orchestry.bench;

import io.orchestry.provisioner.runtime.database.ServerSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster made by hand, the baseline of the databases benchmark: {@code initdb} (a superuser with a
 * password, {@code scram-sha-256} over TCP; the options the process driver gives it) and {@code pg_ctl start} of the
 * machine's PostgreSQL binaries, in a folder
 * of its own, on a free port of 127.0.0.1, with the settings Orchestry gives a server of the same memory. As root the
 * tools run as user {@code postgres} ({@code runuser}), which PostgreSQL requires. {@link #close()} stops it
 * (immediate) and deletes its folder.
 */
final class BarePostgres implements CreateRounds.BareServer {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String USER = "bench";
    private static final Duration TOOL_LIMIT = Duration.ofMinutes(2);

    private final Path dir;
    private final int port;
    private boolean closed;

    private BarePostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** True when the binaries are there (Debian's postgresql-15). */
    static boolean available() {
        return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"));
    }

    /**
     * initdb, then {@code pg_ctl start} without waiting: returns once the postmaster was spawned; the caller polls for
     * a login. The folder is made under {@code parent} (the file system Orchestry's servers use).
     */
    static BarePostgres start(Path parent, String password, long memoryBytes) throws IOException {
        Path dir = Files.createTempDirectory(parent, "bare-pg-");
        BarePostgres server = new BarePostgres(dir, freePort());
        try {
            server.initdbAndStart(password, memoryBytes);
        } catch (RuntimeException | IOException failed) {
            server.close();
            throw failed;
        }
        return server;
    }

    private void initdbAndStart(String password, long memoryBytes) throws IOException {
        ownByPostgres(dir);
        Path passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, password + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        ownByPostgres(passwordFile);
        try {
            check(asPostgres(BIN.resolve("initdb").toString(), "-D", data().toString(), "--username=" + USER,
                    "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                    "--no-locale", "--no-instructions"), "initdb");
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        StringBuilder options = new StringBuilder("-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=" + dir);
        ServerSettings.forMemory(memoryBytes).forEach((name, value) -> options.append(" -c ").append(name).append('=').append(value));
        check(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-W", "-o", options.toString(), "start"), "pg_ctl start");
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    /** The database initdb makes. */
    @Override
    public String database() {
        return "postgres";
    }

    @Override
    public String user() {
        return USER;
    }

    /** {@code createdb} of an empty database owned by {@link #USER} (through the local socket, trusted). */
    void createDatabase(String name) {
        check(asPostgres(BIN.resolve("createdb").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", USER, name),
                "createdb");
    }

    void dropDatabase(String name) {
        check(asPostgres(BIN.resolve("dropdb").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", USER, name),
                "dropdb");
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** Stops the server (immediate: nothing of it is kept) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Files.exists(data().resolve("postmaster.pid"))) {
            SecondEngine.Result stopped = asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
            if (!stopped.ok()) {
                killPostmaster();
            }
        }
        delete(dir);
    }

    private void killPostmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().join();
            });
        } catch (IOException | RuntimeException gone) {
            // no pid file or no such process: nothing runs
        }
    }

    private static SecondEngine.Result asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return SecondEngine.run(full, Map.of(), TOOL_LIMIT);
    }

    private static void check(SecondEngine.Result result, String what) {
        if (!result.ok()) {
            throw new IllegalStateException(what + " failed (exit " + result.exit() + "): " + result.output());
        }
    }

    private static void ownByPostgres(Path path) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("postgres"));
        view.setGroup(group);
    }

    /** A port nothing listens on now (127.0.0.1). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException gone) {
            // nothing left to delete
        }
    }
}
