package io.orchestry.provisioner.observe;

import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.HealthCheck;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.fleet.NodeTargets;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.WorkloadId;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs one health check's probe against one instance: HTTP GET (2xx, 3xx), TCP connect, or exec through the driver. */
public final class HealthProbes {
    private final Fleet fleet;
    private final Drivers drivers;

    public HealthProbes(Fleet fleet, Drivers drivers) {
        this.fleet = fleet;
        this.drivers = drivers;
    }

    /** How one probe went; error says why not, for the instance's lastError. */
    public record ProbeResult(boolean healthy, String error) {
        static final ProbeResult HEALTHY = new ProbeResult(true, "");

        static ProbeResult failed(String error) {
            return new ProbeResult(false, error);
        }
    }

    public ProbeResult probe(Instance instance, AppSpec spec, HealthCheck check) {
        try {
            if (check.probe() instanceof HealthCheck.Http http) {
                return http(instance, spec, http, check.timeout());
            }
            if (check.probe() instanceof HealthCheck.Tcp tcp) {
                return tcp(instance, spec, tcp, check.timeout());
            }
            return exec(instance, (HealthCheck.Exec) check.probe(), check.timeout());
        } catch (RuntimeException e) {
            return ProbeResult.failed(check.probe().getClass().getSimpleName().toLowerCase() + " probe failed: "
                    + e.getMessage());
        }
    }

    private ProbeResult http(Instance instance, AppSpec spec, HealthCheck.Http http, Duration timeout) {
        Optional<Integer> port = port(instance, spec, http.portName());
        if (port.isEmpty()) {
            return ProbeResult.failed("http probe: the instance has no port '" + http.portName() + "'");
        }
        String path = http.path().startsWith("/") ? http.path() : "/" + http.path();
        String host = host(instance);
        String target = "http://" + host + ":" + port.get() + path;
        // one connection per probe, closed after it (as kubelet does): no pooled connection the server may have dropped
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port.get()), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port.get()
                    + "\r\nUser-Agent: orchestry-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            int status = statusCode(statusLine);
            if (status < 0) {
                return ProbeResult.failed("http probe GET " + target + ": not an HTTP answer: " + statusLine);
            }
            return status >= 200 && status < 400 ? ProbeResult.HEALTHY
                    : ProbeResult.failed("http probe GET " + target + ": status " + status);
        } catch (IOException e) {
            return ProbeResult.failed("http probe GET " + target + ": " + describe(e));
        }
    }

    /** The code of "HTTP/1.1 200 OK"; -1 when the line is none. */
    private static int statusCode(String statusLine) {
        if (statusLine == null || !statusLine.startsWith("HTTP/")) {
            return -1;
        }
        String[] parts = statusLine.split(" ", 3);
        try {
            return parts.length < 2 ? -1 : Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private ProbeResult tcp(Instance instance, AppSpec spec, HealthCheck.Tcp tcp, Duration timeout) {
        Optional<Integer> port = port(instance, spec, tcp.portName());
        if (port.isEmpty()) {
            return ProbeResult.failed("tcp probe: the instance has no port '" + tcp.portName() + "'");
        }
        String host = host(instance);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port.get()), (int) Math.max(1, timeout.toMillis()));
            return ProbeResult.HEALTHY;
        } catch (IOException e) {
            return ProbeResult.failed("tcp probe " + host + ":" + port.get() + ": " + describe(e));
        }
    }

    private ProbeResult exec(Instance instance, HealthCheck.Exec exec, Duration timeout) {
        Optional<FleetNode> node = fleet.node(instance.nodeName());
        if (node.isEmpty()) {
            return ProbeResult.failed("exec probe: node " + instance.nodeName() + " is not in the fleet");
        }
        List<String> command = new ArrayList<>();
        command.add(exec.command());
        command.addAll(exec.args());
        ExecResult result = drivers.forNode(NodeTargets.of(node.get()))
                .exec(new WorkloadId(instance.id()), command, timeout);
        if (result.succeeded()) {
            return ProbeResult.HEALTHY;
        }
        return ProbeResult.failed(result.timedOut() ? "exec probe timed out after " + timeout
                : "exec probe exited with code " + result.exitCode());
    }

    /** The instance's port for the probe's port name (empty name: the first port). */
    private static Optional<Integer> port(Instance instance, AppSpec spec, String portName) {
        Optional<PortSpec> port = spec.port(portName);
        if (port.isEmpty()) {
            return Optional.empty();
        }
        return instance.ports().stream().filter(p -> p.name().equals(port.get().name()))
                .map(InstancePort::port).findFirst();
    }

    private String host(Instance instance) {
        if (!instance.host().isEmpty()) {
            return instance.host();
        }
        return fleet.node(instance.nodeName()).map(FleetNode::address).filter(a -> !a.isEmpty()).orElse("127.0.0.1");
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
