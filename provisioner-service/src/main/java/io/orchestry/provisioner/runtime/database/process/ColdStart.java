package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.database.DatabaseLabels;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import io.orchestry.provisioner.runtime.process.Cgroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The start of a server that does not run: its folder and cluster made when this is its first start (initdb, then a
 * {@code cluster.ready} marker once set up: a folder of ours without it is an interrupted first start, made again), the
 * private socket folder, what a killed predecessor left cleared, the password set, then the postmaster launched and its
 * state written. A failure removes what this start made: the process, its cgroups, and the folder only when this start
 * made the cluster, never data it found.
 */
final class ColdStart {
    private static final Logger LOG = LoggerFactory.getLogger(ColdStart.class);

    private final NodeTarget node;
    private final Path databases;
    private final Cgroups cgroups;
    private final Clock clock;

    ColdStart(NodeTarget node, Path databases, Cgroups cgroups, Clock clock) {
        this.node = node;
        this.databases = databases;
        this.cgroups = cgroups;
        this.clock = clock;
    }

    /** The server launched: its state and its process (a child of this JVM until the provisioner exits). */
    record Launched(ServerState state, Process process) {
    }

    /**
     * Starts the server of the spec that does not run now.
     *
     * @param previous its state from an earlier start (a stopped or killed server), if any
     */
    Launched run(DatabaseServerSpec spec, ServerFolder folder, Path bin, Optional<ServerState> previous, RunAs user,
                 ClusterSetup setup) {
        Optional<DatabaseLabels> labels = ServerFiles.readLabels(folder.labels());
        if (labels.isEmpty() && Files.exists(folder.dir())) {
            throw new FailedPreconditionException(folder.dir() + " exists and is not a database server of ours: not touched");
        }
        if (labels.isPresent() && !labels.get().project().equals(spec.project())) {
            throw new FailedPreconditionException(spec.name() + " holds the data of project " + labels.get().project());
        }
        if (!folder.socketFits()) {
            throw new FailedPreconditionException("the unix socket path under " + folder.socket() + " is longer than "
                    + ServerFolder.MAX_SOCKET_PATH + " bytes: choose a shorter orchestry.process.work-dir");
        }
        boolean initialised = labels.isPresent() && Files.exists(ready(folder));
        if (initialised) {
            checkDataVersion(folder, spec);
        }
        List<String> madeCgroups = List.of();
        Process launched = null;
        try {
            if (!initialised) {
                makeFolders(folder.dir());
                ProcessDatabaseDriver.deleteTree(folder.data()); // what an interrupted first start of ours left, never data of a finished one
                ServerFiles.writeLabels(folder.labels(), spec.labels());
                setup.initdb(folder, bin, spec.username(), spec.password());
            }
            makeSocketFolder(folder, user);
            previous.ifPresent(p -> ServerProcess.clearLeftovers(p, bin.resolve("postgres")));
            setup.prepare(folder, bin, !initialised, spec.databaseName(), spec.username(), spec.password());
            if (!initialised) {
                Files.createFile(ready(folder));
            }
            List<Path> procs = cgroups.create("database-" + spec.name(), spec.limits());
            madeCgroups = procs.stream().map(Path::toString).toList();
            List<String> command = ServerProcess.commandLine(PostgresCommands.server(bin, folder.data(), folder.socket(),
                    node.address(), spec.port(), spec.limits().memoryBytes()), user, procs);
            launched = ServerProcess.launch(command, folder.dir(), folder.log());
            ServerState state = new ServerState(spec.name(), launched.pid(), ServerProcess.startTicks(launched.pid()),
                    node.address(), spec.port(), spec.version(), spec.labels(), clock.instant(), madeCgroups,
                    PasswordCheck.of(spec.password()));
            ServerFiles.writeState(folder.state(), state);
            LOG.info("database server {}: started (PostgreSQL {}, pid {}, {}:{}, as {})", spec.name(), spec.version(),
                    launched.pid(), node.address(), spec.port(), user);
            return new Launched(state, launched);
        } catch (IOException | RuntimeException e) {
            undo(folder, launched, madeCgroups, !initialised);
            if (e instanceof IOException io) {
                throw new FailedPreconditionException("cannot start " + spec.name() + ": " + io.getMessage());
            }
            throw (RuntimeException) e;
        }
    }

    /** What a failed start made: the process, its cgroups, and the whole folder when it was this start's. */
    private void undo(ServerFolder folder, Process launched, List<String> madeCgroups, boolean madeFolder) {
        if (launched != null) {
            launched.destroyForcibly();
            try {
                launched.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Cgroups.remove(madeCgroups);
        if (madeFolder) {
            try {
                ProcessDatabaseDriver.deleteTree(folder.dir());
                ProcessDatabaseDriver.deleteTree(folder.socket());
            } catch (IOException e) {
                LOG.warn("database server {}: not fully removed after a failed start: {}", folder.dir(), e.toString());
            }
        }
    }

    private void checkDataVersion(ServerFolder folder, DatabaseServerSpec spec) {
        try {
            String data = Files.readString(folder.data().resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip();
            if (!data.equals(spec.version())) {
                throw new FailedPreconditionException("the data of " + spec.name() + " is of PostgreSQL " + data
                        + ", not " + spec.version() + " (an upgrade is not done by a start)");
            }
        } catch (IOException e) {
            throw new FailedPreconditionException("the data of " + spec.name() + " has no readable PG_VERSION: " + e.getMessage());
        }
    }

    static Path ready(ServerFolder folder) {
        return folder.dir().resolve("cluster.ready");
    }

    /** Root's, traversable by the run-as user (who owns the data and socket folders inside). */
    private void makeFolders(Path dir) throws IOException {
        for (Path p : List.of(databases, dir)) {
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
            }
        }
    }

    private static void makeSocketFolder(ServerFolder folder, RunAs user) throws IOException {
        if (!Files.isDirectory(folder.socket())) {
            Files.createDirectories(folder.socket().getParent());
            Files.createDirectory(folder.socket(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(folder.socket(), PosixFilePermissions.fromString("rwx------"));
        user.own(folder.socket());
    }
}
