package io.orchestry.provisioner.runtime.database;

import java.time.Instant;

/**
 * A server as its driver observes it.
 *
 * @param host      where clients connect (the node's address)
 * @param running   the server's process or container runs (not: accepts connections)
 * @param detail    why it is not running (exit code, the end of its log), or empty
 * @param startedAt when the running server started; null when not running
 */
public record DatabaseServer(String name, DatabaseLabels labels, String host, int port, boolean running,
                             String detail, Instant startedAt) {
}
