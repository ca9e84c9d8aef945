package io.orchestry.gateway.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.gateway.events.EventHub;
import io.orchestry.gateway.fake.FakeProxy;
import io.orchestry.proxy.v1.NginxState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes and the proxy's nginx through REST: the gateway against the real registry (organizations,
 * projects, tokens), the in-memory provisioner (apps) and the in-memory proxy of test sources (its
 * checks and revisions after the contract). A route's private key is in no answer, no event, no
 * log line and no audit record.
 */
@MicronautTest(transactional = false)
class ProxyApiTest extends RestApiTest {
    static final String ORG = "px-acme";
    static final String OTHER = "px-other";
    static final String PROJECT = "px-acme-web";
    static final String THEIR_PROJECT = "px-other-web";
    static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ-px-secret-key\n-----END PRIVATE KEY-----";
    static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUpx\n-----END CERTIFICATE-----";
    private static final List<String> LOGGED = List.of("io.orchestry", "io.micronaut.http");

    @Inject
    EventHub hub;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private String viewer;
    private String operator;
    private String theirAdmin;

    @BeforeAll
    void tenants() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        logs.start();
        for (String name : LOGGED) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.TRACE);
        }
        ok(send("POST", "/api/v1/organizations", "{\"name\": \"" + ORG + "\"}", Map.of()));
        ok(send("POST", "/api/v1/organizations", "{\"name\": \"" + OTHER + "\"}", Map.of()));
        ok(send("POST", "/api/v1/organizations/" + ORG + "/projects", "{\"name\": \"" + PROJECT + "\"}", Map.of()));
        ok(send("POST", "/api/v1/organizations/" + OTHER + "/projects", "{\"name\": \"" + THEIR_PROJECT + "\"}", Map.of()));
        for (String app : List.of("px-web", "px-api", "px-moved")) {
            ok(send("POST", "/api/v1/apps", app(app, PROJECT), Map.of()));
        }
        ok(send("POST", "/api/v1/apps", app("px-theirs", THEIR_PROJECT), Map.of()));
        viewer = token("viewer", ORG);
        operator = token("operator", ORG);
        theirAdmin = token("admin", OTHER);
    }

    @AfterAll
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        for (String name : LOGGED) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(null);
        }
    }

    @Test
    void create_answers201WithLocationAndRevision_roundTripsInLowerCaseWords_andNeverShowsThePrivateKey() throws Exception {
        HttpResponse<String> created = sendAs(operator, "POST", "/api/v1/routes", """
                {"app": "px-web", "hosts": ["shop.example.com", "*.shop.example.com"], "pathPrefix": "/store", "stripPrefix": true,
                 "portName": "http", "loadBalancing": "least_conn", "timeouts": {"connect": "PT5S", "read": "PT1M"},
                 "tls": {"certificatePem": %s, "privateKeyPem": %s, "redirectHttp": true}}"""
                .formatted(json.writeValueAsString(CERT), json.writeValueAsString(KEY)));
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> body = parse(created);
        Map<String, Object> route = map(body.get("route"));
        String id = (String) route.get("id");
        assertEquals("/api/v1/routes/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals("px-web", route.get("app"));
        assertEquals(PROJECT, route.get("project"));
        assertEquals(List.of("shop.example.com", "*.shop.example.com"), route.get("hosts"));
        assertEquals("/store", route.get("pathPrefix"));
        assertEquals(true, route.get("stripPrefix"));
        assertEquals("least_conn", route.get("loadBalancing"));
        assertEquals(Map.of("connect", "PT5S", "read", "PT1M"), route.get("timeouts"));
        assertEquals(false, route.get("isDefault"));
        assertEquals(true, route.get("hasTls"));
        Map<String, Object> tls = map(route.get("tls"));
        assertEquals(CERT, tls.get("certificatePem"));
        assertEquals(true, tls.get("redirectHttp"));
        assertEquals("2027-12-31T00:00:00Z", tls.get("certificateExpireTime"));
        assertFalse(tls.containsKey("privateKeyPem"), tls.toString());
        assertEquals(1, number(route.get("version")));
        Map<String, Object> revision = map(body.get("revision"));
        assertEquals("applied", revision.get("outcome"));
        assertEquals("route_change", revision.get("trigger"));
        assertNull(revision.get("config"), "the config text is for GET /proxy/config only");
        assertEquals(KEY, FakeProxy.shared().storedKey(id), "the key reached the proxy");

        HttpResponse<String> fetched = sendAs(viewer, "GET", "/api/v1/routes/" + id, null);
        assertEquals(route, parse(fetched));
        HttpResponse<String> listed = sendAs(viewer, "GET", "/api/v1/routes?app=px-web", null);
        assertEquals(List.of(route), items(parse(listed)));
        for (HttpResponse<String> read : List.of(created, fetched, listed)) {
            assertFalse(read.body().contains("px-secret-key"), read.body());
        }
        assertProblem(sendAs(operator, "POST", "/api/v1/routes", "{\"app\": \"px-api\", \"hosts\": [\"*.shop.example.com\","
                + " \"shop.example.com\"], \"pathPrefix\": \"/store\"}"), 409, "ALREADY_EXISTS");
        assertNoKeyLoggedOrAudited();
    }

    @Test
    void badValues_are400_namingEachFieldAsTheCallerWroteIt_andNothingIsRouted() throws Exception {
        int before = routeCount();
        HttpResponse<String> bad = sendAs(operator, "POST", "/api/v1/routes", """
                {"app": "px-web", "hosts": ["ok.example.com", "evil.com; include /etc/passwd", "ѕhop.example.com"],
                 "pathPrefix": "/a{b}", "portName": "Http$", "tls": {"certificatePem": "not a pem", "privateKeyPem": "nope"}}""");
        assertProblem(bad, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("hosts[1]", "hosts[2]", "pathPrefix", "portName", "tls.certificatePem", "tls.privateKeyPem"),
                errorFields(bad));
        HttpResponse<String> gatewaySide = sendAs(operator, "POST", "/api/v1/routes", """
                {"hosts": ["a.example.com"], "loadBalancing": "random", "timeouts": {"connect": "5 seconds"}}""");
        assertProblem(gatewaySide, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("app", "loadBalancing", "timeouts.connect"), errorFields(gatewaySide));
        assertProblem(sendAs(operator, "POST", "/api/v1/routes", "{\"app\": \"no-such-app\"}"), 404, "NOT_FOUND");
        HttpResponse<String> unknownField = sendAs(operator, "POST", "/api/v1/routes", "{\"app\": \"px-web\", \"host\": \"a.example.com\"}");
        assertEquals(400, unknownField.statusCode(), unknownField.body());
        assertEquals(before, routeCount(), "no route was made");
    }

    @Test
    void put_replacesEveryField_ifTheVersionIsCurrent_andMovesTheRouteOnlyToAnAppTheCallerMayUse() throws Exception {
        String id = route("{\"app\": \"px-api\", \"hosts\": [\"api.example.com\"], \"loadBalancing\": \"ip_hash\","
                + " \"timeouts\": {\"read\": \"PT30S\"}}");
        HttpResponse<String> replaced = sendAs(operator, "PUT", "/api/v1/routes/" + id,
                "{\"version\": 1, \"app\": \"px-moved\", \"hosts\": [\"api2.example.com\"], \"isDefault\": false}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        Map<String, Object> route = map(parse(replaced).get("route"));
        assertEquals("px-moved", route.get("app"));
        assertEquals(List.of("api2.example.com"), route.get("hosts"));
        assertEquals("round_robin", route.get("loadBalancing"), "absent: the default again");
        assertNull(route.get("timeouts"), "absent: nginx's defaults again");
        assertEquals(2, number(route.get("version")));
        assertProblem(sendAs(operator, "PUT", "/api/v1/routes/" + id, "{\"version\": 1, \"app\": \"px-moved\"}"), 409, "VERSION_CONFLICT");
        HttpResponse<String> noVersion = sendAs(operator, "PUT", "/api/v1/routes/" + id, "{\"app\": \"px-moved\"}");
        assertProblem(noVersion, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("version"), errorFields(noVersion));
        assertProblem(sendAs(operator, "PUT", "/api/v1/routes/" + id, "{\"version\": 2, \"app\": \"px-theirs\"}"), 404, "NOT_FOUND");
        assertProblem(sendAs(viewer, "PUT", "/api/v1/routes/" + id, "{\"version\": 2, \"app\": \"px-moved\"}"), 403,
                "PERMISSION_DENIED");
        assertEquals("px-moved", parse(sendAs(viewer, "GET", "/api/v1/routes/" + id, null)).get("app"));
    }

    @Test
    void appRequests_answerTheProxysFirstBatch_andABadWindowIs400NamingIt() throws Exception {
        FakeProxy.shared().recordRequests(25);
        try {
            HttpResponse<String> ok = sendAs(operator, "GET", "/api/v1/apps/px-web/requests?window=PT30S", null);
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().contains("\"requests\":25"), ok.body());
            assertTrue(ok.body().contains("\"latencyP50\":\"PT0.002S\""), ok.body());
        } finally {
            FakeProxy.shared().recordRequests(0);
        }
        HttpResponse<String> bad = sendAs(operator, "GET", "/api/v1/apps/px-web/requests?window=soon", null);
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("window"), bad.body());
    }

    @Test
    void delete_is204_thenTheRouteIsGone() throws Exception {
        String id = route("{\"app\": \"px-api\", \"hosts\": [\"gone.example.com\"]}");
        assertEquals(204, sendAs(operator, "DELETE", "/api/v1/routes/" + id, null).statusCode());
        assertProblem(sendAs(operator, "GET", "/api/v1/routes/" + id, null), 404, "NOT_FOUND");
        assertProblem(sendAs(operator, "DELETE", "/api/v1/routes/" + id, null), 404, "NOT_FOUND");
    }

    @Test
    void anotherOrganization_seesNoneOfTheRoutes_andCannotRouteToTheApps() throws Exception {
        String id = route("{\"app\": \"px-api\", \"hosts\": [\"private.example.com\"]}");
        assertProblem(sendAs(theirAdmin, "GET", "/api/v1/routes/" + id, null), 404, "NOT_FOUND");
        assertFalse(sendAs(theirAdmin, "GET", "/api/v1/routes", null).body().contains(id));
        assertProblem(sendAs(theirAdmin, "GET", "/api/v1/routes?project=" + PROJECT, null), 404, "NOT_FOUND");
        assertProblem(sendAs(theirAdmin, "POST", "/api/v1/routes", "{\"app\": \"px-api\"}"), 404, "NOT_FOUND");
        assertTrue(sendAs(viewer, "GET", "/api/v1/routes", null).body().contains(id));
        assertTrue(items(parse(sendAs(viewer, "GET", "/api/v1/routes?project=" + PROJECT + "&app=px-web&limit=1", null)))
                .size() <= 1);
    }

    @Test
    void aRouteWhoseProbeFails_isRolledBack_andTheRevisionsShowIt() throws Exception {
        FakeProxy.shared().failNextProbe("probe of route to px-api: 502 from 127.0.0.1:8088");
        HttpResponse<String> created = sendAs(operator, "POST", "/api/v1/routes", "{\"app\": \"px-api\", \"hosts\": [\"broken.example.com\"]}");
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> revision = map(parse(created).get("revision"));
        assertEquals("rolled_back", revision.get("outcome"));
        assertTrue(((String) revision.get("error")).contains("502"), revision.toString());

        List<Map<String, Object>> rolledBack = items(parse(send("GET", "/api/v1/proxy/revisions?outcome=rolled_back,reload_failed",
                null, Map.of())));
        assertTrue(rolledBack.stream().anyMatch(r -> r.get("number").equals(revision.get("number"))), rolledBack.toString());
        assertTrue(rolledBack.stream().allMatch(r -> "rolled_back".equals(r.get("outcome")) && r.get("config") == null));
        Map<String, Object> config = parse(send("GET", "/api/v1/proxy/config?revision=" + number(revision.get("number")), null, Map.of()));
        assertTrue(((String) config.get("config")).contains("broken.example.com"), config.toString());
        Map<String, Object> running = parse(send("GET", "/api/v1/proxy/config", null, Map.of()));
        assertEquals("applied", running.get("outcome"), "nginx runs the last applied revision");
        assertNotNull(running.get("checksum"));

        Map<String, Object> page = parse(send("GET", "/api/v1/proxy/revisions?limit=1", null, Map.of()));
        assertEquals(1, items(page).size());
        Map<String, Object> next = parse(send("GET", "/api/v1/proxy/revisions?limit=1&pageToken=" + page.get("nextPageToken"), null, Map.of()));
        assertTrue(number(items(next).get(0).get("number")) < number(items(page).get(0).get("number")), "newest first");

        HttpResponse<String> badOutcome = send("GET", "/api/v1/proxy/revisions?outcome=applied,exploded", null, Map.of());
        assertProblem(badOutcome, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("outcome"), errorFields(badOutcome));
        HttpResponse<String> badRevision = send("GET", "/api/v1/proxy/config?revision=-1", null, Map.of());
        assertProblem(badRevision, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("revision"), errorFields(badRevision));
        assertProblem(send("GET", "/api/v1/proxy/config?revision=999999", null, Map.of()), 404, "NOT_FOUND");
    }

    @Test
    void reload_rendersANewRevisionWithTheReason_andStatusShowsIt() throws Exception {
        HttpResponse<String> reloaded = send("POST", "/api/v1/proxy/reload", "{\"reason\": \"certificates renewed\"}", Map.of());
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        Map<String, Object> revision = parse(reloaded);
        assertEquals("manual", revision.get("trigger"));
        assertEquals("certificates renewed", revision.get("reason"));
        assertEquals("applied", revision.get("outcome"));
        assertEquals(200, send("POST", "/api/v1/proxy/reload", null, Map.of()).statusCode(), "the body is optional");

        Map<String, Object> status = parse(sendAs(viewer, "GET", "/api/v1/proxy/status", null));
        assertEquals("running", status.get("state"));
        assertEquals("managed", status.get("mode"));
        assertEquals("1.22.1", status.get("nginxVersion"));
        assertTrue(number(status.get("currentRevision")) >= number(revision.get("number")), status.toString());
        assertTrue(status.get("lastReloadOutcome") instanceof String, status.toString());
    }

    @Test
    void routeRevisionAndStatusEvents_reachTheRightCallers_withoutKeyOrConfig() throws Exception {
        BlockingQueue<String> ours = subscribe(viewer, "route,proxy-revision,proxy-status");
        BlockingQueue<String> cluster = subscribe(RunningRegistry.BOOTSTRAP_TOKEN, "route,proxy-revision,proxy-status");
        for (int i = 0; i < 300 && !hub.followingProxy(); i++) {
            Thread.sleep(100);
        }
        assertTrue(hub.followingProxy(), "the gateway follows the proxy's watch");
        List<String> seenOurs = new ArrayList<>();
        List<String> seenCluster = new ArrayList<>();
        String id = route("{\"app\": \"px-web\", \"hosts\": [\"events.example.com\"], \"tls\": {\"certificatePem\": "
                + json.writeValueAsString(CERT) + ", \"privateKeyPem\": " + json.writeValueAsString(KEY) + "}}");
        String added = next(ours, "\"kind\":\"route\"", seenOurs);
        assertTrue(added.contains("\"type\":\"added\"") && added.contains("\"name\":\"" + id + "\"")
                && added.contains("\"organization\":\"" + ORG + "\"") && added.contains("\"app\":\"px-web\""), added);
        String pending = next(cluster, "\"kind\":\"proxy-revision\"", seenCluster);
        assertTrue(pending.contains("\"type\":\"pending\""), pending);
        String applied = next(cluster, "\"type\":\"applied\"", seenCluster);
        assertTrue(applied.contains("\"kind\":\"proxy-revision\""), applied);
        FakeProxy.shared().nginx(NginxState.NGINX_STATE_FAILED, "nginx exited with 1");
        try {
            String failed = next(cluster, "\"kind\":\"proxy-status\"", seenCluster);
            assertTrue(failed.contains("\"type\":\"failed\"") && failed.contains("nginx exited with 1"), failed);
        } finally {
            FakeProxy.shared().nginx(NginxState.NGINX_STATE_RUNNING, "");
        }
        assertEquals(204, sendAs(operator, "DELETE", "/api/v1/routes/" + id, null).statusCode());
        String deleted = next(ours, "\"type\":\"deleted\"", seenOurs);
        assertTrue(deleted.contains("\"name\":\"" + id + "\""), deleted);
        assertFalse(String.join("\n", seenOurs).contains("proxy-revision"), "revisions name every organization's routes: " + seenOurs);
        assertFalse(String.join("\n", seenOurs).contains("proxy-status"), seenOurs.toString());
        for (String line : concat(seenOurs, seenCluster)) {
            assertFalse(line.contains("px-secret-key") || line.contains("privateKeyPem"), line);
            assertFalse(line.contains("server_name"), "no config text in events: " + line);
        }
    }

    private BlockingQueue<String> subscribe(String token, String kinds) throws Exception {
        BlockingQueue<String> sse = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort()
                + "/api/v1/events?kind=" + kinds)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Thread reader = new Thread(() -> {
            try {
                stream.body().forEach(sse::add);
            } catch (RuntimeException closed) {
                // the JVM ends the stream
            }
        }, "sse-reader-" + kinds);
        reader.setDaemon(true);
        reader.start();
        return sse;
    }

    private static String next(BlockingQueue<String> queue, String marker, List<String> seen) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String line = queue.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(marker)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no event with " + marker + " in " + seen);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void assertNoKeyLoggedOrAudited() throws Exception {
        for (ILoggingEvent event : logs.list) {
            assertFalse(event.getFormattedMessage().contains("px-secret-key"), event.getFormattedMessage());
        }
        try (Connection c = database();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM gateway.audit_record WHERE path LIKE '/api/v1/routes%'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertTrue(rs.getInt(1) > 0, "route changes are audited");
        }
        String audit = send("GET", "/api/v1/logs?limit=1000", null, Map.of()).body();
        assertTrue(audit.contains("/api/v1/routes"), audit);
        assertFalse(audit.contains("px-secret-key"), audit);
    }

    private String route(String body) throws Exception {
        HttpResponse<String> created = sendAs(operator, "POST", "/api/v1/routes", body);
        assertEquals(201, created.statusCode(), created.body());
        return (String) map(parse(created).get("route")).get("id");
    }

    private int routeCount() throws Exception {
        return items(parse(send("GET", "/api/v1/routes?limit=500", null, Map.of()))).size();
    }

    private String token(String role, String organization) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/tokens", "{\"name\": \"px-" + role + "\", \"role\": \"" + role
                + "\", \"organization\": \"" + organization + "\"}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        return (String) parse(created).get("secret");
    }

    private static void ok(HttpResponse<String> response) {
        assertTrue(response.statusCode() < 300, response.body());
    }

    private static String app(String name, String project) {
        return """
                {"name": "%s", "project": "%s", "spec": {"process": {"command": "sleep", "args": ["3600"]},
                 "ports": [{"name": "http", "protocol": "tcp"}], "replicas": 1}}""".formatted(name, project);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
