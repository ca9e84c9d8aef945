package io.orchestry.provisioner.backup;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseReadiness;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The scratch server of a node, run through its {@link DatabaseDriver}: one server {@code orchestry-scratch-<version>}
 * per major version, started (or adopted) when first needed and kept running, with a random password that lives only
 * in memory (set again at every start, so a server adopted from an earlier provisioner is restarted with it). Each
 * verification gets its own {@code verify_<random>} database, dropped on release (and those an earlier provisioner
 * left behind are dropped when this one first uses the server). {@link #close()} removes the
 * servers it started, data and all: nothing in them is worth keeping.
 */
public final class DriverScratchServer implements ScratchServer, AutoCloseable {
    public static final String USER = "orchestry_scratch";
    /** The database a scratch server is created with; only CREATE and DROP DATABASE run in it. */
    public static final String MAINTENANCE_DATABASE = "scratch";
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final DatabaseDriver driver;
    private final ToIntFunction<String> portForVersion;
    private final ComputeResources limits;
    private final Duration readyWithin;
    private final Clock clock;
    private final String password;
    private final Map<String, ServerAddress> running = new HashMap<>();

    /**
     * @param portForVersion the port each version's scratch server listens on (distinct per version)
     * @param limits         CPU and memory of a scratch server
     * @param readyWithin    how long a start may take to accept connections
     */
    public DriverScratchServer(DatabaseDriver driver, ToIntFunction<String> portForVersion, ComputeResources limits,
                               Duration readyWithin, Clock clock) {
        this.driver = driver;
        this.portForVersion = portForVersion;
        this.limits = limits;
        this.readyWithin = readyWithin;
        this.clock = clock;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static String nameFor(String version) {
        return "orchestry-scratch-" + version;
    }

    @Override
    public ServerAddress emptyDatabase(String version) {
        return ScratchDatabases.create(server(version));
    }

    @Override
    public void release(ServerAddress database) {
        ServerAddress admin;
        synchronized (this) {
            admin = running.values().stream().filter(a -> a.host().equals(database.host()) && a.port() == database.port())
                    .findFirst().orElse(null);
        }
        if (admin != null) {
            ScratchDatabases.drop(admin, database.database());
        }
    }

    /** The maintenance database of the version's running scratch server: started, or restarted when it stopped answering. */
    synchronized ServerAddress server(String version) {
        ServerAddress known = running.get(version);
        if (known != null && answersNow(known) == null) {
            return known;
        }
        String name = nameFor(version);
        boolean adopting = driver.inspect(name).map(DatabaseServer::running).orElse(false);
        DatabaseServerSpec spec = new DatabaseServerSpec(name, name, version, portForVersion.applyAsInt(version),
                MAINTENANCE_DATABASE, USER, password, limits, 0, clock.instant());
        ServerAddress admin = start(spec);
        // a server that already ran answers at once, or it is an earlier provisioner's (another password) or hung
        String why = adopting ? answersNow(admin) : answers(admin, readyWithin);
        if (why != null) {
            driver.stop(name, STOP_GRACE);
            admin = start(spec);
            why = answers(admin, readyWithin);
        }
        if (why != null) {
            throw new BackupException("scratch server " + name + " does not accept connections: " + admin.scrub(why));
        }
        if (known == null) {
            ScratchDatabases.dropLeftovers(admin);
        }
        running.put(version, admin);
        return admin;
    }

    private ServerAddress start(DatabaseServerSpec spec) {
        DatabaseServer server = driver.start(spec);
        return new ServerAddress(server.host(), server.port(), MAINTENANCE_DATABASE, USER, password);
    }

    private static String answersNow(ServerAddress admin) {
        return DatabaseReadiness.check(admin.host(), admin.port(), admin.database(), admin.user(), admin.password(),
                Duration.ofSeconds(5));
    }

    private String answers(ServerAddress admin, Duration within) {
        return DatabaseReadiness.await(admin.host(), admin.port(), admin.database(), admin.user(), admin.password(),
                within, PAUSE, clock);
    }

    /** Removes the scratch servers this started, with their data. */
    @Override
    public synchronized void close() {
        for (String version : running.keySet()) {
            driver.destroy(nameFor(version), false);
        }
        running.clear();
    }
}
