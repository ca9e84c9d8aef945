package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import io.orchestry.provisioner.runtime.process.Cgroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * PostgreSQL servers as local processes of one process node, each in {@code <work>/<node>/databases/<name>/}
 * ({@link ServerFolder}): initdb when the data folder is missing, a single-user session that sets the role's password
 * at every start, then the postmaster launched detached ({@link ServerProcess}) as a non-root user, listening on the
 * node's address with settings sized to its memory, in cgroups when it has limits and they are enforced here. Nothing
 * is kept in memory that a restarted provisioner needs: the next driver adopts what runs from {@code state.json}.
 */
public final class ProcessDatabaseDriver implements DatabaseDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDatabaseDriver.class);

    private final NodeTarget node;
    private final Path databases;
    private final Duration stopGrace;
    private final Cgroups cgroups;
    private final Clock clock;
    private final Supplier<PostgresBinaries> binaries;
    private final Supplier<RunAs> runAs;
    private final Duration setupTimeout;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Exit codes of the servers this instance started (they are its children). */
    private final Map<String, Process> children = new ConcurrentHashMap<>();

    /**
     * @param nodeWorkDir the node's own work folder ({@code ProcessConfig.forNode(node).workDir()})
     * @param binaries    looked up once, at first use
     * @param runAs       asked at each start (a missing OS user fails the start, not the driver)
     */
    ProcessDatabaseDriver(NodeTarget node, Path nodeWorkDir, Duration stopGrace, Duration setupTimeout, Cgroups cgroups,
                          Supplier<PostgresBinaries> binaries, Supplier<RunAs> runAs, Clock clock) {
        this.node = node;
        this.databases = nodeWorkDir.resolve("databases");
        this.stopGrace = stopGrace;
        this.setupTimeout = setupTimeout;
        this.cgroups = cgroups;
        this.binaries = memoize(binaries);
        this.runAs = runAs;
        this.clock = clock;
    }

    @Override
    public Set<String> versions() {
        return binaries.get().versions();
    }

    @Override
    public DatabaseServer start(DatabaseServerSpec spec) {
        if (!ServerFolder.validName(spec.name())) {
            throw new FailedPreconditionException("not a database server name: " + spec.name());
        }
        try {
            PostgresCommands.ident(spec.databaseName());
            PostgresCommands.ident(spec.username());
        } catch (IllegalArgumentException e) {
            throw new FailedPreconditionException("database and user names of " + spec.name() + ": " + e.getMessage());
        }
        synchronized (lock(spec.name())) {
            Path bin = binaries.get().bin(spec.version()).orElseThrow(() -> new NotOnNodeException(
                    NotOnNodeException.Missing.POSTGRES_VERSION, "PostgreSQL " + spec.version() + " is not on node "
                    + node.name() + " (it has " + (versions().isEmpty() ? "none" : String.join(", ", versions())) + ")"));
            ServerFolder folder = ServerFolder.of(databases, spec.name());
            Optional<ServerState> state = ServerFiles.readState(folder.state());
            if (state.isPresent() && ServerProcess.running(state.get(), folder.data())) {
                Optional<DatabaseServer> adopted = adopt(spec, folder, bin, state.get());
                if (adopted.isPresent()) {
                    return adopted.get();
                }
                stopServer(folder, bin, state.get(), stopGrace);
            }
            return startStopped(spec, folder, bin, state);
        }
    }

    /** The running server as it is, its password set when the spec's differs; empty when it must be restarted. */
    private Optional<DatabaseServer> adopt(DatabaseServerSpec spec, ServerFolder folder, Path bin, ServerState state) {
        if (state.port() != spec.port() || !state.host().equals(node.address()) || !state.version().equals(spec.version())
                || !state.labels().project().equals(spec.project())) {
            LOG.info("database server {}: runs with another port, address or version than asked: restarting it", spec.name());
            return Optional.empty();
        }
        ServerState adopted = state;
        if (!PasswordCheck.matches(state.passwordCheck(), spec.password())) {
            if (!ClusterSetup.hasPsql(bin)) {
                LOG.info("database server {}: a new password and no psql beside {}: restarting it to set it", spec.name(), bin);
                return Optional.empty();
            }
            try {
                setup().setPassword(folder, bin, state.port(), spec.username(), spec.password());
            } catch (IOException e) {
                throw new FailedPreconditionException("cannot set the password of " + spec.name() + ": " + e.getMessage());
            }
            adopted = new ServerState(state.name(), state.pid(), state.startTicks(), state.host(), state.port(),
                    state.version(), spec.labels(), state.startedAt(), state.cgroups(), PasswordCheck.of(spec.password()));
            writeState(folder, adopted);
        }
        return Optional.of(server(folder, adopted, true));
    }

    private DatabaseServer startStopped(DatabaseServerSpec spec, ServerFolder folder, Path bin, Optional<ServerState> previous) {
        RunAs user = runAs.get();
        ColdStart.Launched launched = new ColdStart(node, databases, cgroups, clock).run(spec, folder, bin, previous, user, setup(user));
        children.put(spec.name(), launched.process());
        return server(folder, launched.state(), true);
    }

    @Override
    public Optional<DatabaseServer> inspect(String name) {
        if (!ServerFolder.validName(name)) {
            return Optional.empty();
        }
        ServerFolder folder = ServerFolder.of(databases, name);
        return ServerFiles.readState(folder.state()).filter(s -> s.name().equals(name))
                .map(s -> server(folder, s, ServerProcess.running(s, folder.data())));
    }

    @Override
    public List<DatabaseServer> list() {
        List<DatabaseServer> servers = new ArrayList<>();
        if (!Files.isDirectory(databases)) {
            return servers;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(databases, Files::isDirectory)) {
            for (Path dir : dirs) {
                inspect(dir.getFileName().toString()).ifPresent(servers::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + databases, e);
        }
        servers.sort(Comparator.comparing(DatabaseServer::name));
        return servers;
    }

    @Override
    public void stop(String name, Duration grace) {
        if (!ServerFolder.validName(name)) {
            return;
        }
        synchronized (lock(name)) {
            ServerFolder folder = ServerFolder.of(databases, name);
            Optional<ServerState> state = ServerFiles.readState(folder.state()).filter(s -> s.name().equals(name));
            if (state.isPresent() && ServerProcess.running(state.get(), folder.data())) {
                Path bin = binaries.get().bin(state.get().version()).orElse(null);
                stopServer(folder, bin, state.get(), grace);
            }
        }
    }

    /** pg_ctl stop -m fast, the process killed after the grace, what it left cleared, its cgroups removed. */
    private void stopServer(ServerFolder folder, Path bin, ServerState state, Duration grace) {
        if (bin != null && !grace.isZero()) {
            try {
                ClusterSetup.check("pg_ctl stop", setup().run(PostgresCommands.stop(bin, folder.data()), folder.dir(), null));
            } catch (RuntimeException e) {
                LOG.warn("database server {}: {}; killing it after the grace", state.name(), e.getMessage());
            }
        }
        boolean graceful = ServerProcess.awaitOrKill(state, grace);
        if (bin != null) {
            ServerProcess.clearLeftovers(state, bin.resolve("postgres"));
        }
        Cgroups.remove(state.cgroups());
        LOG.info("database server {}: stopped{}", state.name(), graceful ? "" : " (killed after the " + grace + " grace)");
    }

    @Override
    public void destroy(String name, boolean keepData) {
        if (!ServerFolder.validName(name)) {
            return;
        }
        synchronized (lock(name)) {
            ServerFolder folder = ServerFolder.of(databases, name);
            Optional<ServerState> state = ServerFiles.readState(folder.state()).filter(s -> s.name().equals(name));
            if (state.isEmpty() && ServerFiles.readLabels(folder.labels()).isEmpty()) {
                return; // nothing of ours by this name (or not ours at all: not touched)
            }
            state.ifPresent(s -> {
                if (ServerProcess.running(s, folder.data())) {
                    // its data goes too: no shutdown checkpoint to wait for
                    stopServer(folder, binaries.get().bin(s.version()).orElse(null), s, keepData ? stopGrace : Duration.ZERO);
                }
                Cgroups.remove(s.cgroups());
            });
            children.remove(name);
            try {
                Files.deleteIfExists(folder.state());
                Files.deleteIfExists(folder.log());
                deleteTree(folder.socket());
                if (!keepData) {
                    deleteTree(folder.dir());
                }
            } catch (IOException e) {
                throw new FailedPreconditionException("cannot remove " + name + ": " + e.getMessage());
            }
            LOG.info("database server {}: destroyed{}", name, keepData ? " (its data kept)" : " with its data");
        }
    }

    /** Stops every server of ours on the node (the provisioner's exit when it leads, with stop-on-exit). */
    void stopAll(Duration grace) {
        for (DatabaseServer server : list()) {
            if (server.running()) {
                stop(server.name(), grace);
            }
        }
    }

    @Override
    public void close() {
        children.clear(); // what runs keeps running
    }

    private DatabaseServer server(ServerFolder folder, ServerState s, boolean running) {
        String detail = "";
        if (!running) {
            Process child = children.get(s.name());
            String exit = child != null && !child.isAlive() && child.pid() == s.pid() ? "exited with code " + child.exitValue()
                    : "not running";
            String tail = ServerProcess.logTail(folder.log());
            detail = tail.isEmpty() ? exit : exit + "; its log ends: " + tail;
        }
        return new DatabaseServer(s.name(), s.labels(), s.host(), s.port(), running, detail, running ? s.startedAt() : null);
    }

    private void writeState(ServerFolder folder, ServerState state) {
        try {
            ServerFiles.writeState(folder.state(), state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.state(), e);
        }
    }

    private ClusterSetup setup() {
        return setup(runAs.get());
    }

    private ClusterSetup setup(RunAs user) {
        return new ClusterSetup(user, setupTimeout);
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, k -> new Object());
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
