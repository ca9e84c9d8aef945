package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.DriverFactory;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.RuntimeDriver;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Opens one {@link FakeDriver} per node name and keeps it, so a test reaches the driver a loop uses ({@link #driver}). */
public class FakeDriverFactory implements DriverFactory {
    private final DriverKind kind;
    private final Clock clock;
    private final Map<String, FakeDriver> drivers = new ConcurrentHashMap<>();

    public FakeDriverFactory(DriverKind kind, Clock clock) {
        this.kind = kind;
        this.clock = clock;
    }

    @Override
    public DriverKind kind() {
        return kind;
    }

    @Override
    public RuntimeDriver open(NodeTarget node) {
        return driver(node.name(), node.address());
    }

    /** The node's driver (made now when no loop opened it yet). */
    public FakeDriver driver(String nodeName) {
        return driver(nodeName, "127.0.0.1");
    }

    private FakeDriver driver(String nodeName, String address) {
        return drivers.computeIfAbsent(nodeName, n -> new FakeDriver(kind, address, clock));
    }
}
