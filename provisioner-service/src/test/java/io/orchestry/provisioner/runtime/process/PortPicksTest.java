package io.orchestry.provisioner.runtime.process;

import io.orchestry.controlloop.SettableClock;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ports of this machine: 300 picks would repeat a kernel pick now and then (birthday odds) if nothing remembered them. */
class PortPicksTest {
    private static final int PICKS = 300;
    private static final List<PortSpec> ONE = List.of(new PortSpec("http", 0, PortProtocol.TCP));

    private final SettableClock clock = new SettableClock();

    @Test
    void pick_recentPicks_neverGivenTwice() throws IOException {
        PortPicks picks = new PortPicks(Set::of, clock);
        Set<Integer> given = new HashSet<>();
        for (int i = 0; i < PICKS; i++) {
            int port = picks.pick(ONE).get(0).port();
            assertTrue(given.add(port), "port " + port + " given twice");
        }
    }

    @Test
    void pick_portsOurWorkloadsHold_passedOver() throws IOException {
        PortPicks first = new PortPicks(Set::of, clock);
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < PICKS; i++) {
            held.add(first.pick(ONE).get(0).port());
        }
        PortPicks second = new PortPicks(() -> held, clock); // as after a provisioner restart: only what runs is known
        for (int i = 0; i < PICKS; i++) {
            int port = second.pick(ONE).get(0).port();
            assertFalse(held.contains(port), "port " + port + " is held by a workload");
        }
    }

    @Test
    void pick_severalPorts_distinctAndFreeNow() throws IOException {
        PortPicks picks = new PortPicks(Set::of, clock);
        List<InstancePort> ports = picks.pick(List.of(new PortSpec("http", 0, PortProtocol.TCP),
                new PortSpec("admin", 0, PortProtocol.TCP), new PortSpec("metrics", 0, PortProtocol.TCP)));

        assertEquals(List.of("http", "admin", "metrics"), ports.stream().map(InstancePort::name).toList());
        assertEquals(3, ports.stream().map(InstancePort::port).distinct().count());
        for (InstancePort port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port.port())); // closed after the pick: free for the workload
            }
        }
    }
}
