package io.orchestry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's "done when", through REST only, as a user of dev mode (which runs nginx when it is installed; CI=true
 * requires it): two apps of the demo app routed on two host names; one scaled out and its new replica served by nginx
 * with no reload (with the Lua module: the master's workers and the revision count unchanged); a route broken on
 * purpose (to a port nothing listens on) rolled back while the old configuration serves; the app's request rate and
 * latency read back.
 */
class ProxyEndToEndIT {
    private static final Path ROOT = Path.of(System.getProperty("orchestry.root", "../..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(180);

    private static DevModeIT.Launched stack;
    private static Rest rest;
    private static AppsApi api;
    private static int nginx;

    @BeforeAll
    static void startDevMode() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/sbin/nginx"));
        if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.assumeTrue(installed, "nginx is not installed: dev mode stores routes without serving them (CI runs this)");
        }
        int offset = PortOffsets.findFree(ServiceKind.values());
        stack = DevModeIT.launch(offset, java.util.Map.of());
        String gateway = "http://127.0.0.1:" + ServiceKind.GATEWAY.httpPort(offset);
        rest = new Rest(gateway, stack.printedToken());
        api = new AppsApi(rest, gateway, WAIT);
        nginx = 8088 + offset;
        rest.expect(201, "POST", "/api/v1/organizations", "{\"name\":\"px\"}");
        rest.expect(201, "POST", "/api/v1/organizations/px/projects", "{\"name\":\"shop\"}");
    }

    @AfterAll
    static void stopDevMode() {
        if (stack != null) {
            stack.kill();
        }
    }

    @Test
    void twoAppsRouted_scaledWithoutReload_brokenRouteRolledBack_requestRatesRead() throws Exception {
        Path jar = ROOT.resolve("demo-app/target/demo-app.jar");
        assertTrue(Files.isRegularFile(jar), "the demo app is built: " + jar);
        api.awaitNode("local", "ready");
        createApp("web", jar, 2, "http", "admin");
        createApp("shopapi", jar, 1, "http");
        api.awaitReady("web", 2);
        api.awaitReady("shopapi", 1);

        JsonNode web = rest.json(201, "POST", "/api/v1/routes", "{\"app\": \"web\", \"hosts\": [\"web.px.localhost\"]}");
        assertEquals("applied", web.path("revision").path("outcome").asText(), web.toString());
        JsonNode shop = rest.json(201, "POST", "/api/v1/routes", "{\"app\": \"shopapi\", \"hosts\": [\"api.px.localhost\"]}");
        assertEquals("applied", shop.path("revision").path("outcome").asText(), shop.toString());
        assertEquals(Set.of("shopapi"), apps("api.px.localhost", 5));
        assertEquals(Set.of("web"), apps("web.px.localhost", 5));
        api.await("both replicas of web to answer through nginx", () -> instances("web.px.localhost", 20).size() == 2);

        // scale out: the new replica is served; with the Lua module no worker is recycled and no revision rendered
        JsonNode status = rest.json(200, "GET", "/api/v1/proxy/status", null);
        assertEquals("running", status.path("state").asText(), status.toString());
        long pid = status.path("pid").asLong();
        Set<Long> workers = children(pid);
        boolean lua = rest.json(200, "GET", "/api/v1/proxy/config", null).path("config").asText().contains("balancer_by_lua");
        int revisions = rest.json(200, "GET", "/api/v1/proxy/revisions?limit=500", null).path("items").size();
        rest.expect(200, "POST", "/api/v1/apps/web/scale", "{\"replicas\":3}");
        api.awaitReady("web", 3);
        api.await("the third replica of web to answer through nginx", () -> instances("web.px.localhost", 30).size() == 3);
        if (lua) {
            assertEquals(workers, children(pid), "no nginx worker was recycled: the balancer took the new replica");
            assertEquals(revisions, rest.json(200, "GET", "/api/v1/proxy/revisions?limit=500", null).path("items").size(),
                    "a scale-out renders no revision");
        }

        // break the web route on purpose: to a port its replicas do not listen on
        JsonNode route = rest.json(200, "GET", "/api/v1/routes/" + web.path("route").path("id").asText(), null);
        ObjectNode broken = Rest.JSON.createObjectNode().put("app", "web").put("portName", "admin")
                .put("version", route.path("version").asLong());
        broken.putArray("hosts").add("web.px.localhost");
        JsonNode answer = rest.json(200, "PUT", "/api/v1/routes/" + route.path("id").asText(), broken.toString());
        assertEquals("rolled_back", answer.path("revision").path("outcome").asText(), answer.toString());
        assertEquals(Set.of("web"), apps("web.px.localhost", 10), "the previous revision serves throughout");
        JsonNode rolledBack = rest.json(200, "GET", "/api/v1/proxy/revisions?outcome=rolled_back", null);
        assertTrue(rolledBack.path("items").size() >= 1, rolledBack.toString());

        // request rates and latency of one app, from nginx's access log
        int sent = 40;
        for (int i = 0; i < sent; i++) {
            assertEquals(200, get("api.px.localhost").statusCode());
        }
        Thread.sleep(2_500);
        JsonNode requests = rest.json(200, "GET", "/api/v1/apps/shopapi/requests?window=PT60S", null);
        assertTrue(requests.path("requests").asLong() >= sent, requests.toString());
        assertTrue(requests.path("status2xx").asLong() >= sent, requests.toString());
        assertTrue(requests.hasNonNull("latencyP99"), requests.toString());
    }

    private void createApp(String name, Path jar, int replicas, String... ports) throws Exception {
        ObjectNode spec = Rest.JSON.createObjectNode();
        spec.putObject("process").put("command", "java").putArray("args").add("-jar").add(jar.toString());
        for (String port : ports) {
            spec.withArray("ports").addObject().put("name", port);
        }
        spec.put("replicas", replicas);
        ObjectNode health = spec.putObject("healthCheck");
        health.putObject("http").put("path", "/health");
        health.put("interval", "PT1S");
        ObjectNode app = Rest.JSON.createObjectNode().put("name", name).put("project", "shop");
        app.set("spec", spec);
        rest.expect(201, "POST", "/api/v1/apps", app.toString());
    }

    /** One GET through nginx with that Host (the JDK client refuses to set Host; HTTP/1.0, so no chunked body). */
    private static Answer get(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", nginx)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = raw.indexOf("\r\n\r\n");
            int status = Integer.parseInt(raw.substring(raw.indexOf(' ') + 1, raw.indexOf(' ') + 4));
            return new Answer(status, end < 0 ? "" : raw.substring(end + 4));
        }
    }

    private record Answer(int statusCode, String body) {
    }

    /** The apps that answered {@code requests} requests for that host (the demo app names its app and instance). */
    private static Set<String> apps(String host, int requests) throws Exception {
        Set<String> apps = new TreeSet<>();
        for (int i = 0; i < requests; i++) {
            Answer response = get(host);
            assertEquals(200, response.statusCode(), host + ": " + response.body());
            apps.add(Rest.JSON.readTree(response.body()).path("app").asText());
        }
        return apps;
    }

    private static Set<String> instances(String host, int requests) throws Exception {
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            Answer response = get(host);
            if (response.statusCode() == 200) {
                instances.add(Rest.JSON.readTree(response.body()).path("instance").asText());
            }
        }
        return instances;
    }

    private static Set<Long> children(long pid) throws IOException {
        Set<Long> children = new TreeSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                for (String child : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                    if (!child.isEmpty()) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        }
        return children;
    }
}
