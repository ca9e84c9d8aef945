package io.orchestry.provisioner.backup;

import java.util.function.Supplier;

/**
 * The scratch server of this machine, made on first use (the provisioner starts, and serves, without a PostgreSQL on
 * the machine; only verification needs one) and closed with the provisioner (its servers removed with their data).
 */
final class LocalScratchServer implements ScratchServer, AutoCloseable {
    private final Supplier<DriverScratchServer> open;
    private DriverScratchServer server;

    LocalScratchServer(Supplier<DriverScratchServer> open) {
        this.open = open;
    }

    private synchronized DriverScratchServer server() {
        if (server == null) {
            server = open.get();
        }
        return server;
    }

    @Override
    public ServerAddress emptyDatabase(String version) {
        return server().emptyDatabase(version);
    }

    @Override
    public void release(ServerAddress database) {
        server().release(database);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
        }
    }
}
