package io.orchestry.provisioner.backup;

import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseLabels;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link DatabaseDriver} for tests over {@link PostgresCluster}s: real PostgreSQL 15 servers, kept the simple way
 * (in memory, this JVM's only). Like a real driver after a provisioner restart, {@link #start} adopts a running server
 * as it is, password included; a stopped one is started with the spec's password. Stands in until the process
 * driver (branch db-process) is merged.
 */
final class ClusterDatabaseDriver implements DatabaseDriver {
    private record Entry(DatabaseServerSpec spec, PostgresCluster cluster) {
    }

    private final Map<String, Entry> servers = new HashMap<>();
    int starts;
    int stops;

    @Override
    public Set<String> versions() {
        return Set.of(PostgresCluster.VERSION);
    }

    @Override
    public synchronized DatabaseServer start(DatabaseServerSpec spec) {
        starts++;
        Entry entry = servers.get(spec.name());
        if (entry == null) {
            entry = new Entry(spec, PostgresCluster.start(spec.username(), spec.password(), spec.port(), spec.databaseName()));
            servers.put(spec.name(), entry);
        } else if (!entry.cluster().running()) {
            entry.cluster().startAgain(spec.password());
        }
        return server(entry);
    }

    private static DatabaseServer server(Entry e) {
        return new DatabaseServer(e.spec().name(), new DatabaseLabels(e.spec().project(), e.spec().version(),
                e.spec().createdAt()), "127.0.0.1", e.cluster().port(), e.cluster().running(), "", null);
    }

    @Override
    public synchronized Optional<DatabaseServer> inspect(String name) {
        return Optional.ofNullable(servers.get(name)).map(ClusterDatabaseDriver::server);
    }

    @Override
    public synchronized List<DatabaseServer> list() {
        return new ArrayList<>(servers.values().stream().map(ClusterDatabaseDriver::server).toList());
    }

    @Override
    public synchronized void stop(String name, Duration grace) {
        stops++;
        Optional.ofNullable(servers.get(name)).ifPresent(e -> e.cluster().stop());
    }

    @Override
    public synchronized void destroy(String name, boolean keepData) {
        Entry entry = servers.remove(name);
        if (entry != null) {
            entry.cluster().close();
        }
    }

    @Override
    public synchronized void close() {
        for (String name : List.copyOf(servers.keySet())) {
            destroy(name, false);
        }
    }
}
