package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.PortSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Free ports for this machine's workloads, one picker for all of a factory's drivers: the kernel's pick for port 0 (bound,
 * then closed), passed over while one of our workloads holds that port or it was given out in the last {@link #MEMORY}
 * (a workload given it may not have bound it yet). What remains: a process that is not ours can still take the port
 * between the pick and the workload's bind; the workload then fails to bind and its restart policy applies.
 */
final class PortPicks {
    /** How long a port given out stays taken for the picker, bound or not. */
    static final Duration MEMORY = Duration.ofMinutes(2);
    private static final int ATTEMPTS = 50;

    private final Supplier<Set<Integer>> held;
    private final Clock clock;
    private final Map<Integer, Instant> given = new HashMap<>();

    /** @param held the ports our running workloads hold now */
    PortPicks(Supplier<Set<Integer>> held, Clock clock) {
        this.held = held;
        this.clock = clock;
    }

    /** A distinct free port for each port of the spec, none held by or recently given to a workload of ours. */
    synchronized List<InstancePort> pick(List<PortSpec> ports) throws IOException {
        if (ports.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        given.values().removeIf(at -> !at.plus(MEMORY).isAfter(now));
        Set<Integer> taken = held.get();
        List<ServerSocket> open = new ArrayList<>();
        try {
            List<InstancePort> picked = new ArrayList<>();
            for (PortSpec port : ports) {
                int chosen = 0;
                for (int attempt = 0; attempt < ATTEMPTS && chosen == 0; attempt++) {
                    ServerSocket socket = new ServerSocket();
                    open.add(socket); // kept open until all are picked: the kernel gives another port each time
                    socket.bind(new InetSocketAddress(0));
                    int candidate = socket.getLocalPort();
                    if (!taken.contains(candidate) && !given.containsKey(candidate)) {
                        chosen = candidate;
                    }
                }
                if (chosen == 0) {
                    throw new IOException("no free port outside the " + given.size() + " given out lately after " + ATTEMPTS + " tries");
                }
                given.put(chosen, now);
                picked.add(new InstancePort(port.name(), chosen));
            }
            return picked;
        } finally {
            for (ServerSocket socket : open) {
                socket.close();
            }
        }
    }
}
