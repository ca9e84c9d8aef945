package io.orchestry.proxy.nginx;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.render.ConfigRenderer;
import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;

/**
 * A minimal renderer for the apply tests (the real one is NginxConfigRenderer): one server on the http port, one
 * location per route prefix (hosts are ignored), the probe headers for a request that carries the probe token.
 */
public final class TestRenderer implements ConfigRenderer {
    @Override
    public String render(ProxyModel model) {
        NginxSettings s = model.settings();
        StringBuilder out = new StringBuilder();
        out.append("worker_processes ").append(s.workerProcesses()).append(";\n")
                .append("pid ").append(s.pidFile()).append(";\n")
                .append("error_log ").append(s.errorLog()).append(" notice;\n")
                .append("worker_shutdown_timeout ").append(s.workerShutdownTimeout().toSeconds()).append("s;\n")
                .append("events { worker_connections 512; }\n")
                .append("http {\n")
                .append("  access_log off;\n")
                .append("  client_body_temp_path ").append(s.tempFolder().resolve("body")).append(";\n")
                .append("  proxy_temp_path ").append(s.tempFolder().resolve("proxy")).append(";\n")
                .append("  fastcgi_temp_path ").append(s.tempFolder().resolve("fastcgi")).append(";\n")
                .append("  uwsgi_temp_path ").append(s.tempFolder().resolve("uwsgi")).append(";\n")
                .append("  scgi_temp_path ").append(s.tempFolder().resolve("scgi")).append(";\n")
                .append("  map \"$http_x_orchestry_probe|$orchestry_route\" $orchestry_probe_route {\n")
                .append("    \"~^").append(s.probeToken()).append("\\|(?<r>.*)$\" $r; default \"\"; }\n")
                .append("  map \"$http_x_orchestry_probe|$upstream_addr\" $orchestry_probe_upstream {\n")
                .append("    \"~^").append(s.probeToken()).append("\\|(?<u>.*)$\" $u; default \"\"; }\n");
        for (RoutePlan plan : model.routes()) {
            if (!plan.endpoints().isEmpty()) {
                out.append("  upstream ").append(plan.route().upstream().nginxName()).append(" {\n");
                for (Endpoint e : plan.endpoints()) {
                    out.append("    server ").append(e.address()).append(" max_fails=0;\n");
                }
                out.append("    keepalive 8;\n  }\n");
            }
        }
        out.append("  server {\n    listen ").append(s.listenAddress()).append(':').append(s.httpPort())
                .append(" default_server;\n    server_name _;\n    set $orchestry_route \"\";\n");
        for (RoutePlan plan : model.routes()) {
            out.append("    location ").append(plan.route().pathPrefix()).append(" {\n")
                    .append("      set $orchestry_route ").append(plan.route().id()).append(";\n")
                    .append("      add_header X-Orchestry-Route $orchestry_probe_route always;\n")
                    .append("      add_header X-Orchestry-Upstream $orchestry_probe_upstream always;\n");
            if (plan.endpoints().isEmpty()) {
                out.append("      return 503;\n");
            } else {
                out.append("      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n")
                        .append("      proxy_pass http://").append(plan.route().upstream().nginxName()).append(";\n");
            }
            out.append("    }\n");
        }
        out.append("  }\n}\n");
        return out.toString();
    }
}
