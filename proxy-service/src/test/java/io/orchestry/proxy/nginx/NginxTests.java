package io.orchestry.proxy.nginx;

import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.render.NginxSettings;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the nginx tests share: the binary (skip without it, fail under CI=true), free ports, settings, routes. */
public final class NginxTests {
    public static final String TOKEN = "0123456789abcdef";

    private NginxTests() {
    }

    /** The real nginx, or the test is skipped (and fails when CI=true). */
    public static NginxBinary binary() {
        var found = NginxBinary.find("nginx");
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("nginx is not installed, and CI=true: this test must run");
        }
        Assumptions.assumeTrue(found.isPresent(), "nginx is not installed (apt-get install -y nginx): skipped");
        return found.get();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings in the state folder; its temp folder is made (nginx makes only the last level of a temp path). */
    public static NginxSettings settings(Path state, int httpPort) {
        if (state.isAbsolute() && java.nio.file.Files.isDirectory(state)) {
            StateFolder.folder(state.resolve("tmp"));
        }
        return new NginxSettings("127.0.0.1", httpPort, 0, false, 0, state.resolve("lua"),
                state.resolve("logs/access.log"), state.resolve("logs/error.log"), state.resolve("nginx.pid"),
                state.resolve("tmp"), 1, Duration.ofSeconds(5), TOKEN);
    }

    public static ManagedNginx managed(NginxBinary binary, NginxSettings settings, Path state) {
        return new ManagedNginx(binary, state, settings.pidFile(), settings.errorLog(),
                new ManagedNginx.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
                        Duration.ofSeconds(2)), () -> { });
    }

    public static Route route(String id, String app, String pathPrefix) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Route(id, app, "p1", List.of(), pathPrefix, false, "http", null, LoadBalancing.ROUND_ROBIN,
                RouteTimeouts.DEFAULTS, false, t, t, 1);
    }

    /** Waits for the condition with a generous deadline. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
