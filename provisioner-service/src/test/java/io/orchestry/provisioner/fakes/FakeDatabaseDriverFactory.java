package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseDriverFactory;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link FakeDatabaseDriver} per node. */
public class FakeDatabaseDriverFactory implements DatabaseDriverFactory {
    private final DriverKind kind;
    private final Clock clock;
    private final Map<String, FakeDatabaseDriver> drivers = new ConcurrentHashMap<>();

    public FakeDatabaseDriverFactory(DriverKind kind, Clock clock) {
        this.kind = kind;
        this.clock = clock;
    }

    @Override
    public DriverKind kind() {
        return kind;
    }

    @Override
    public DatabaseDriver open(NodeTarget node) {
        return driver(node.name());
    }

    public FakeDatabaseDriver driver(String node) {
        return drivers.computeIfAbsent(node, n -> new FakeDatabaseDriver(clock));
    }
}
