package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Database servers in memory, for reconciler tests: what started, what runs, what storage exists; every call recorded.
 * A server "listens" at {@code listenPort} when set (a real PostgreSQL the test points the database at), else nowhere.
 */
public class FakeDatabaseDriver implements DatabaseDriver {
    public final Map<String, DatabaseServer> servers = new ConcurrentHashMap<>();
    public final Set<String> storage = ConcurrentHashMap.newKeySet();
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public volatile Set<String> versions = Set.of("15");
    private final Clock clock;

    public FakeDatabaseDriver(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Set<String> versions() {
        return versions;
    }

    @Override
    public DatabaseServer start(DatabaseServerSpec spec) {
        calls.add("start " + spec.name());
        if (!versions.contains(spec.version())) {
            throw new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE, "no PostgreSQL " + spec.version());
        }
        storage.add(spec.name());
        DatabaseServer running = servers.get(spec.name());
        if (running != null && running.running()) {
            return running;
        }
        DatabaseServer server = new DatabaseServer(spec.name(), spec.labels(), "127.0.0.1", spec.port(), true, "",
                clock.instant());
        servers.put(spec.name(), server);
        return server;
    }

    /** The server dies behind the driver's back. */
    public void kill(String name) {
        DatabaseServer s = servers.get(name);
        servers.put(name, new DatabaseServer(name, s.labels(), s.host(), s.port(), false, "exit 137", null));
    }

    @Override
    public Optional<DatabaseServer> inspect(String name) {
        if (!storage.contains(name)) {
            return Optional.empty();
        }
        return Optional.ofNullable(servers.get(name));
    }

    @Override
    public List<DatabaseServer> list() {
        return new ArrayList<>(servers.values());
    }

    @Override
    public void stop(String name, Duration grace) {
        calls.add("stop " + name);
        DatabaseServer s = servers.get(name);
        if (s != null) {
            servers.put(name, new DatabaseServer(name, s.labels(), s.host(), s.port(), false, "stopped", null));
        }
    }

    @Override
    public void destroy(String name, boolean keepData) {
        calls.add("destroy " + name + (keepData ? " keepData" : ""));
        servers.remove(name);
        if (!keepData) {
            storage.remove(name);
        }
    }

    @Override
    public void close() {
    }
}
