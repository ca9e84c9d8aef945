package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.domain.RouteTls;
import io.orchestry.proxy.nginx.ManagedNginx;
import io.orchestry.proxy.nginx.NginxBinary;
import io.orchestry.proxy.nginx.NginxTests;
import io.orchestry.proxy.nginx.StateFolder;
import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.RoutePlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TLS route is probed over https with SNI = its host (a wildcard as probe.<rest>); the wrong server fails it. */
class RouteProberIT {
    @TempDir
    Path state;
    private ManagedNginx nginx;

    @AfterEach
    void tearDown() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void check_tlsRouteWithWildcardHost_probedOverHttpsWithSni() throws Exception {
        NginxBinary binary = NginxTests.binary();
        Path openssl = Path.of("/usr/bin/openssl");
        Assumptions.assumeTrue(Files.isExecutable(openssl), "openssl is not installed: skipped");
        Path cert = state.resolve("tls/cert.pem");
        Path key = state.resolve("tls/key.pem");
        StateFolder.folder(cert.getParent());
        Process made = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-subj", "/CN=*.example.com", "-days", "2", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(made.waitFor(60, TimeUnit.SECONDS) && made.exitValue() == 0, "openssl made the certificate");

        NginxSettings settings = NginxTests.settings(state, NginxTests.freePort());
        int https = NginxTests.freePort();
        String config = String.join("\n",
                "worker_processes 1;",
                "pid " + settings.pidFile() + ";",
                "error_log " + settings.errorLog() + " notice;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + settings.tempFolder() + "/body;",
                "  proxy_temp_path " + settings.tempFolder() + "/proxy;",
                "  server { listen 127.0.0.1:" + settings.httpPort() + "; return 404; }",
                "  server { listen 127.0.0.1:" + https + " ssl; server_name _; ssl_certificate " + cert
                        + "; ssl_certificate_key " + key + "; add_header X-Orchestry-Route r-other always; return 404; }",
                "  server { listen 127.0.0.1:" + https + " ssl; server_name *.example.com; ssl_certificate " + cert
                        + "; ssl_certificate_key " + key + ";",
                "    location /api { add_header X-Orchestry-Route r-tls always; return 503; } }",
                "}", "");
        Path file = StateFolder.write(state.resolve("nginx.conf"), config);
        StateFolder.folder(state.resolve("logs"));
        nginx = NginxTests.managed(binary, settings, state);
        nginx.start(file);

        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        RouteTls tls = new RouteTls(Files.readString(cert), null, false, t.plusSeconds(86_400));
        Route route = new Route("r-tls", "app", "p1", List.of("*.example.com"), "/api", false, "http", tls,
                LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false, t, t, 1);
        RouteProbe probe = RouteProbe.of(new RoutePlan(route, List.of(), cert, key));
        assertEquals("probe.example.com", probe.host());
        assertTrue(probe.tls());
        RouteProber prober = new RouteProber("127.0.0.1", settings.httpPort(), https, NginxTests.TOKEN,
                Duration.ofSeconds(2));
        assertEquals(Optional.empty(), prober.check(probe));

        RouteProbe wrongHost = new RouteProbe("r-tls", "other.test", "/api", true, List.of());
        Optional<String> failure = prober.check(wrongHost);
        assertTrue(failure.isPresent() && failure.get().contains("r-other"), failure.toString());
    }
}
