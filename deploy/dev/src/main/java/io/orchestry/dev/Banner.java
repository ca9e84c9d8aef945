package io.orchestry.dev;

import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What dev mode prints once the stack is up: where everything listens, the nodes, the token, what to try. */
final class Banner {
    /** The last line of the banner: scripts and tests wait for it. */
    static final String READY = "DEV MODE READY";

    private Banner() {
    }

    static void print(PrintStream out, long totalMillis, Collection<ServiceProcess> services, Map<ServiceKind, Long> readyMillis,
                      String postgresUrl, List<LocalNodes.Registration> nodes, String stateLine, String adminToken,
                      int gatewayPort, DevNginx nginx) {
        out.println();
        out.println("Orchestry dev mode is up in " + totalMillis + " ms.");
        out.printf("  %-12s %-8s %-22s %-22s %-10s %s%n", "service", "pid", "gRPC", "HTTP", "ready in", "RSS");
        for (ServiceProcess process : services) {
            ServiceKind kind = process.kind();
            out.printf("  %-12s %-8d %-22s %-22s %-10s %d MB%n", kind.shortName(), process.pid(),
                    process.grpcPort() > 0 ? "127.0.0.1:" + process.grpcPort() : "-",
                    "http://127.0.0.1:" + process.httpPort(), readyMillis.get(kind) + " ms",
                    process.residentKilobytes() / 1024);
        }
        out.printf("  %-12s %-8s %s%n", "nginx", "-", nginx.address());
        if (postgresUrl != null) {
            out.printf("  %-12s %-8s %s%n", "postgres", "-", postgresUrl);
        }
        out.println();
        out.println("Nodes (this machine; the provisioner heartbeats for them):");
        for (LocalNodes.Registration node : nodes) {
            out.println("  " + node.offer().describe() + "  " + node.outcome());
        }
        out.println(stateLine);
        out.println();
        out.println("Admin token (cluster-wide; set ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN to choose it):");
        out.println("  " + adminToken);
        out.println("API explorer: http://127.0.0.1:" + gatewayPort + "/swagger-ui  (Authorize with the token above)");
        out.println();
        out.println("Try:");
        out.println("  export ORCHESTRY_TOKEN=" + adminToken);
        out.println("  curl -s localhost:" + gatewayPort + "/api/v1/nodes -H \"Authorization: Bearer $ORCHESTRY_TOKEN\"");
        out.println("  curl -s -XPOST localhost:" + gatewayPort + "/api/v1/nodes -H \"Authorization: Bearer $ORCHESTRY_TOKEN\" \\");
        out.println("    -H 'Content-Type: application/json' \\");
        out.println("    -d '{\"name\":\"laptop\",\"driverKind\":\"process\",\"capacity\":{\"cpuMillis\":2000,\"memoryBytes\":4294967296}}'");
        out.println("  curl -s localhost:" + gatewayPort + "/api/v1/nodes/laptop -H \"Authorization: Bearer $ORCHESTRY_TOKEN\"");
        if (nginx.found()) {
            out.println("  curl -s localhost:" + gatewayPort + "/api/v1/proxy/status -H \"Authorization: Bearer $ORCHESTRY_TOKEN\"");
            out.println("  curl -s -H 'Host: web.localhost' 127.0.0.1:" + nginx.httpPort() + "/   (once a route sends web.localhost to an app)");
        }
        out.println("A service that exits on its own is started again. Ctrl-C stops everything.");
        out.println(READY);
        out.flush();
    }
}
