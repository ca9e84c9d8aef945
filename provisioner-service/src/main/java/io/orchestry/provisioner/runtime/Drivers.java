package io.orchestry.provisioner.runtime;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseDriverFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one driver per node (and the one database driver per node): opened on first use from the factory of the node's
 * kind, reopened when its endpoint changes.
 */
@Singleton
public class Drivers implements AutoCloseable {
    private final Map<DriverKind, DriverFactory> factories = new EnumMap<>(DriverKind.class);
    private final Map<DriverKind, DatabaseDriverFactory> databaseFactories = new EnumMap<>(DriverKind.class);
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final Map<String, OpenDatabases> openDatabases = new ConcurrentHashMap<>();

    private record Open(NodeTarget target, RuntimeDriver driver) {
    }

    private record OpenDatabases(NodeTarget target, DatabaseDriver driver) {
    }

    public Drivers(List<DriverFactory> factories) {
        this(factories, List.of());
    }

    @Inject
    public Drivers(List<DriverFactory> factories, List<DatabaseDriverFactory> databaseFactories) {
        factories.forEach(factory -> this.factories.put(factory.kind(), factory));
        databaseFactories.forEach(factory -> this.databaseFactories.put(factory.kind(), factory));
    }

    /** Whether this provisioner can run databases on nodes of the kind. */
    public boolean supportsDatabases(DriverKind kind) {
        return databaseFactories.containsKey(kind);
    }

    public DatabaseDriver databasesForNode(NodeTarget target) {
        DatabaseDriverFactory factory = databaseFactories.get(target.kind());
        if (factory == null) {
            throw new FailedPreconditionException("node " + target.name() + " has driver kind " + target.kind()
                    + ", on which this provisioner cannot run databases");
        }
        OpenDatabases current = openDatabases.compute(target.name(), (name, previous) -> {
            if (previous != null && previous.target().equals(target)) {
                return previous;
            }
            if (previous != null) {
                previous.driver().close();
            }
            return new OpenDatabases(target, factory.open(target));
        });
        return current.driver();
    }

    /** Whether this provisioner has a driver for the kind at all. */
    public boolean supports(DriverKind kind) {
        return factories.containsKey(kind);
    }

    public RuntimeDriver forNode(NodeTarget target) {
        DriverFactory factory = factories.get(target.kind());
        if (factory == null) {
            throw new FailedPreconditionException("node " + target.name() + " has driver kind " + target.kind()
                    + ", which this provisioner cannot drive");
        }
        Open current = open.compute(target.name(), (name, previous) -> {
            if (previous != null && previous.target().equals(target)) {
                return previous;
            }
            if (previous != null) {
                previous.driver().close();
            }
            return new Open(target, factory.open(target));
        });
        return current.driver();
    }

    /** Closes the driver of a node that left the fleet. */
    public void forget(String nodeName) {
        Open previous = open.remove(nodeName);
        if (previous != null) {
            previous.driver().close();
        }
        OpenDatabases databases = openDatabases.remove(nodeName);
        if (databases != null) {
            databases.driver().close();
        }
    }

    @PreDestroy
    @Override
    public void close() {
        open.values().forEach(o -> o.driver().close());
        open.clear();
        openDatabases.values().forEach(o -> o.driver().close());
        openDatabases.clear();
    }
}
