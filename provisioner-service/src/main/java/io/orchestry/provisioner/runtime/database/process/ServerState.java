package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.provisioner.runtime.database.DatabaseLabels;

import java.time.Instant;
import java.util.List;

/**
 * A server as its driver last started it (in {@code state.json}): the postmaster's pid and start time (with the pid,
 * its identity: a reused pid has another start time), where it listens, the labels, and a check of the password it was
 * given (never the password).
 *
 * @param passwordCheck {@link PasswordCheck} of the password set at that start
 */
record ServerState(String name, long pid, long startTicks, String host, int port, String version, DatabaseLabels labels,
                   Instant startedAt, List<String> cgroups, String passwordCheck) {
    ServerState {
        cgroups = List.copyOf(cgroups);
    }
}
