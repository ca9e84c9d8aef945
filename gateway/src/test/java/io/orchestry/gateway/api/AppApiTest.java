package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.gateway.fake.FakeProvisioner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apps through REST: the gateway against the real registry (projects, tokens) and a provisioner
 * (in these tests the in-memory one of test sources; the same tests run against the real one).
 */
@MicronautTest(transactional = false)
class AppApiTest extends RestApiTest {
    static final String ORG = "apps-acme";
    static final String PROJECT = "apps-shop";

    @BeforeAll
    void tenants() throws Exception {
        send("POST", "/api/v1/organizations", "{\"name\": \"" + ORG + "\"}", Map.of());
        send("POST", "/api/v1/organizations/" + ORG + "/projects", "{\"name\": \"" + PROJECT + "\"}", Map.of());
        assertEquals(200, send("GET", "/api/v1/projects/" + PROJECT, null, Map.of()).statusCode());
    }

    static String app(String name, int replicas) {
        return """
                {"name": "%s", "project": "%s", "labels": {"tier": "front"},
                 "spec": {"process": {"command": "python3", "args": ["-m", "http.server", "${PORT}"]},
                          "env": {"LOG_LEVEL": "info"}, "ports": [{"name": "http", "protocol": "tcp"}], "replicas": %d,
                          "resources": {"requests": {"cpuMillis": 100, "memoryBytes": 67108864}},
                          "healthCheck": {"http": {"path": "/", "portName": "http"}, "interval": "PT5S", "timeout": "PT0.5S",
                                          "failureThreshold": 3},
                          "restartPolicy": "on_failure", "deploymentStrategy": "rolling_update",
                          "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0, "minReady": "PT1S", "progressDeadline": "PT5M"}}}"""
                .formatted(name, PROJECT, replicas);
    }

    Map<String, Object> create(String name, int replicas) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/apps", app(name, replicas), Map.of());
        assertEquals(201, created.statusCode(), created.body());
        return parse(created);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    @Test
    void create_answers201WithLocation_andTheAppRoundTrips_inLowerCaseWordsAndIsoDurations() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/apps", app("web-rt", 2), Map.of());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/api/v1/apps/web-rt", created.headers().firstValue("Location").orElseThrow());
        Map<String, Object> body = parse(created);
        Map<String, Object> app = map(body.get("app"));
        assertEquals("web-rt", app.get("name"));
        assertEquals(PROJECT, app.get("project"));
        Map<String, Object> spec = map(app.get("spec"));
        assertEquals("on_failure", spec.get("restartPolicy"));
        assertEquals("rolling_update", spec.get("deploymentStrategy"));
        assertEquals("PT0.5S", map(spec.get("healthCheck")).get("timeout"));
        assertEquals("PT5M", map(spec.get("rollingUpdate")).get("progressDeadline"));
        assertEquals("tcp", map(((List<?>) spec.get("ports")).get(0)).get("protocol"));
        Map<String, Object> deployment = map(body.get("deployment"));
        assertEquals("create", deployment.get("trigger"));
        assertEquals(0L, number(deployment.get("fromRevision")));

        Map<String, Object> fetched = parse(send("GET", "/api/v1/apps/web-rt", null, Map.of()));
        assertEquals(spec, fetched.get("spec"));
        assertTrue(List.of("pending", "running", "deploying").contains(map(fetched.get("status")).get("state")), fetched.toString());

        Map<String, Object> listed = parse(send("GET", "/api/v1/apps?project=" + PROJECT + "&labelSelector=tier%3Dfront", null, Map.of()));
        assertTrue(items(listed).stream().anyMatch(a -> "web-rt".equals(a.get("name"))), listed.toString());
        assertProblem(send("POST", "/api/v1/apps", app("web-rt", 1), Map.of()), 409, "ALREADY_EXISTS");
    }

    @Test
    void badInput_is400_namingEachFieldAsTheCallerWroteIt() throws Exception {
        HttpResponse<String> badName = send("POST", "/api/v1/apps", app("Bad_Name", 1), Map.of());
        assertProblem(badName, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("name"), errorFields(badName));

        HttpResponse<String> badWords = send("POST", "/api/v1/apps", app("web-bad", 1)
                .replace("\"on_failure\"", "\"sometimes\"").replace("\"PT0.5S\"", "\"half a second\"")
                .replace("\"tcp\"", "\"sctp\""), Map.of());
        assertProblem(badWords, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("spec.ports[0].protocol", "spec.healthCheck.timeout", "spec.restartPolicy"), errorFields(badWords));

        HttpResponse<String> reserved = send("POST", "/api/v1/apps", app("web-bad", 1).replace("LOG_LEVEL", "PORT"), Map.of());
        assertProblem(reserved, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("spec.env"), errorFields(reserved));

        HttpResponse<String> unknownField = send("POST", "/api/v1/apps", app("web-bad", 1).replace("\"replicas\"", "\"replica\""), Map.of());
        assertProblem(unknownField, 400, "INVALID_ARGUMENT");
        assertTrue(unknownField.body().contains("replica"), unknownField.body());

        HttpResponse<String> noProject = send("POST", "/api/v1/apps", app("web-bad", 1).replace("\"" + PROJECT + "\"", "\"\""), Map.of());
        assertProblem(noProject, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("project"), errorFields(noProject));
        assertProblem(send("POST", "/api/v1/apps", app("web-bad", 1).replace(PROJECT, "no-such-project"), Map.of()), 404, "NOT_FOUND");
        assertProblem(send("GET", "/api/v1/apps/web-bad", null, Map.of()), 404, "NOT_FOUND");
    }

    @Test
    void nothingFits_is503CapacityExhausted() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/apps",
                app("web-huge", 1).replace("\"cpuMillis\": 100", "\"cpuMillis\": " + FakeProvisioner.CPU_NO_NODE_HAS), Map.of());
        assertProblem(response, 503, "CAPACITY_EXHAUSTED");
    }

    @Test
    void put_rollsOutANewRevision_staleVersionIs409_patchChangesOnlyWhatItNames() throws Exception {
        Map<String, Object> app = map(create("web-put", 1).get("app"));
        long version = number(app.get("version"));
        Map<String, Object> spec = map(app.get("spec"));
        String newSpec = json.writeValueAsString(spec).replace("\"info\"", "\"debug\"");
        HttpResponse<String> put = send("PUT", "/api/v1/apps/web-put",
                "{\"version\": " + version + ", \"labels\": {\"tier\": \"back\"}, \"spec\": " + newSpec + "}", Map.of());
        assertEquals(200, put.statusCode(), put.body());
        Map<String, Object> updated = map(parse(put).get("app"));
        assertEquals(2L, number(updated.get("revision")));
        assertEquals(Map.of("tier", "back"), updated.get("labels"));
        assertEquals("update", map(parse(put).get("deployment")).get("trigger"));

        assertProblem(send("PUT", "/api/v1/apps/web-put", "{\"version\": " + version + ", \"spec\": " + newSpec + "}", Map.of()),
                409, "VERSION_CONFLICT");
        HttpResponse<String> noVersion = send("PUT", "/api/v1/apps/web-put", "{\"spec\": " + newSpec + "}", Map.of());
        assertProblem(noVersion, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("version"), errorFields(noVersion));
        HttpResponse<String> noSpec = send("PUT", "/api/v1/apps/web-put", "{\"version\": " + number(updated.get("version")) + "}", Map.of());
        assertProblem(noSpec, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("spec"), errorFields(noSpec));

        HttpResponse<String> labelsOnly = send("PATCH", "/api/v1/apps/web-put",
                "{\"version\": " + number(updated.get("version")) + ", \"labels\": {\"tier\": \"edge\"}}", Map.of());
        assertEquals(200, labelsOnly.statusCode(), labelsOnly.body());
        assertNull(parse(labelsOnly).get("deployment"), "labels need no new revision");
        Map<String, Object> relabelled = map(parse(labelsOnly).get("app"));
        assertEquals(2L, number(relabelled.get("revision")));
        assertEquals(map(updated.get("spec")), relabelled.get("spec"));

        HttpResponse<String> envOnly = send("PATCH", "/api/v1/apps/web-put",
                "{\"version\": " + number(relabelled.get("version")) + ", \"spec\": {\"env\": {\"LOG_LEVEL\": \"warn\"}}}", Map.of());
        assertEquals(200, envOnly.statusCode(), envOnly.body());
        Map<String, Object> patched = map(parse(envOnly).get("app"));
        assertEquals(3L, number(patched.get("revision")));
        assertEquals(Map.of("LOG_LEVEL", "warn"), map(patched.get("spec")).get("env"));
        assertEquals(1L, number(map(patched.get("spec")).get("replicas")), "what the patch does not name stays");
    }

    @Test
    void scaleStopStartRestartRollback() throws Exception {
        create("web-ops", 2);
        Map<String, Object> scaled = parse(send("POST", "/api/v1/apps/web-ops/scale", "{\"replicas\": 3, \"reason\": \"launch\"}", Map.of()));
        assertEquals(3L, number(map(scaled.get("spec")).get("replicas")));
        assertEquals(3, instances("web-ops").size());
        HttpResponse<String> negative = send("POST", "/api/v1/apps/web-ops/scale", "{\"replicas\": -1}", Map.of());
        assertProblem(negative, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("replicas"), errorFields(negative));
        assertProblem(send("POST", "/api/v1/apps/web-ops/scale", "{}", Map.of()), 400, "INVALID_ARGUMENT");

        Map<String, Object> stopped = parse(send("POST", "/api/v1/apps/web-ops/stop", null, Map.of()));
        assertEquals(true, stopped.get("stopped"));
        assertEquals(3L, number(map(stopped.get("spec")).get("replicas")), "the spec is kept");
        assertEquals(0, instances("web-ops").stream().filter(i -> "running".equals(i.get("state"))).count());
        assertEquals(false, parse(send("POST", "/api/v1/apps/web-ops/start", null, Map.of())).get("stopped"));

        Map<String, Object> restarted = parse(send("POST", "/api/v1/apps/web-ops/restart", null, Map.of()));
        Map<String, Object> restart = map(restarted.get("deployment"));
        assertEquals("restart", restart.get("trigger"));
        assertEquals(restart.get("fromRevision"), restart.get("toRevision"));

        assertProblem(send("POST", "/api/v1/apps/web-ops/rollback", "{}", Map.of()), 409, "FAILED_PRECONDITION");
        long version = number(map(restarted.get("app")).get("version"));
        assertEquals(200, send("PATCH", "/api/v1/apps/web-ops", "{\"version\": " + version
                + ", \"spec\": {\"env\": {\"LOG_LEVEL\": \"trace\"}}}", Map.of()).statusCode());
        Map<String, Object> rolledBack = parse(send("POST", "/api/v1/apps/web-ops/rollback", null, Map.of()));
        assertEquals("rollback", map(rolledBack.get("deployment")).get("trigger"));
        assertEquals(Map.of("LOG_LEVEL", "info"), map(map(rolledBack.get("app")).get("spec")).get("env"));
    }

    @Test
    void instances_showNodeAddressHealth_andADeletedOneIsReplaced() throws Exception {
        create("web-inst", 2);
        List<Map<String, Object>> before = instances("web-inst");
        assertEquals(2, before.size());
        Map<String, Object> one = before.get(0);
        assertEquals("running", one.get("state"));
        assertEquals("healthy", one.get("health"));
        assertTrue(one.get("nodeName") instanceof String && map(one.get("address")).get("host") instanceof String, one.toString());
        assertEquals(2, items(parse(send("GET", "/api/v1/apps/web-inst/instances?state=running,starting", null, Map.of()))).size());
        HttpResponse<String> badState = send("GET", "/api/v1/apps/web-inst/instances?state=sleeping", null, Map.of());
        assertProblem(badState, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("state"), errorFields(badState));

        String id = (String) one.get("id");
        assertEquals(204, send("DELETE", "/api/v1/apps/web-inst/instances/" + id, null, Map.of()).statusCode());
        List<Map<String, Object>> after = instances("web-inst");
        assertEquals(2, after.size(), "replaced");
        assertFalse(after.stream().anyMatch(i -> id.equals(i.get("id"))));
        assertProblem(send("DELETE", "/api/v1/apps/web-inst/instances/" + id, null, Map.of()), 404, "NOT_FOUND");
        create("web-inst2", 1);
        String another = (String) instances("web-inst2").get(0).get("id");
        assertProblem(send("DELETE", "/api/v1/apps/web-inst/instances/" + another, null, Map.of()), 404, "NOT_FOUND");
    }

    @Test
    void deployments_ofAnApp_acrossApps_oneById_andStats() throws Exception {
        String first = (String) map(create("web-dep", 1).get("deployment")).get("id");
        send("POST", "/api/v1/apps/web-dep/restart", null, Map.of());
        List<Map<String, Object>> history = items(parse(send("GET", "/api/v1/apps/web-dep/deployments", null, Map.of())));
        assertEquals(2, history.size());
        assertEquals("restart", history.get(0).get("trigger"), "newest first");
        assertEquals("superseded", history.get(1).get("state"));
        assertEquals(1, items(parse(send("GET", "/api/v1/deployments?app=web-dep&state=superseded", null, Map.of()))).size());
        assertTrue(items(parse(send("GET", "/api/v1/deployments?project=" + PROJECT + "&limit=500", null, Map.of()))).stream()
                .anyMatch(d -> first.equals(d.get("id"))));
        HttpResponse<String> badState = send("GET", "/api/v1/deployments?state=done", null, Map.of());
        assertProblem(badState, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("state"), errorFields(badState));

        Map<String, Object> one = parse(send("GET", "/api/v1/deployments/" + first, null, Map.of()));
        assertEquals("web-dep", one.get("app"));
        assertProblem(send("GET", "/api/v1/deployments/dep-0", null, Map.of()), 404, "NOT_FOUND");

        Map<String, Object> stats = parse(send("GET", "/api/v1/deployments/stats?app=web-dep", null, Map.of()));
        assertEquals(2L, number(stats.get("total")));
        assertEquals(1L, number(map(stats.get("byState")).get("superseded")));
        assertProblem(send("GET", "/api/v1/deployments/stats?since=yesterday", null, Map.of()), 400, "INVALID_ARGUMENT");
        assertTrue(number(parse(send("GET", "/api/v1/deployments/stats", null, Map.of())).get("total")) >= 2);
    }

    @Test
    void delete_removesTheAppAndItsInstances() throws Exception {
        create("web-gone", 2);
        assertEquals(204, send("DELETE", "/api/v1/apps/web-gone", null, Map.of()).statusCode());
        assertProblem(send("GET", "/api/v1/apps/web-gone", null, Map.of()), 404, "NOT_FOUND");
        assertProblem(send("DELETE", "/api/v1/apps/web-gone", null, Map.of()), 404, "NOT_FOUND");
        assertTrue(items(parse(send("GET", "/api/v1/deployments?project=" + PROJECT + "&limit=500", null, Map.of()))).stream()
                .anyMatch(d -> "web-gone".equals(d.get("app"))), "its deployments stay in the history");
    }

    List<Map<String, Object>> instances(String app) throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/apps/" + app + "/instances", null, Map.of());
        assertEquals(200, response.statusCode(), response.body());
        return items(parse(response));
    }
}
