package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heartbeats, modes, updates, stats, events and deregistration through REST. */
@MicronautTest(transactional = false)
class NodeOperationsApiTest extends RestApiTest {

    private void register(String name) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/nodes", """
                {"name": "%s", "driverKind": "process", "labels": {"pool": "ops"},
                 "capacity": {"cpuMillis": 2000, "memoryBytes": 4294967296}}""".formatted(name), Map.of());
        assertEquals(201, created.statusCode(), created.body());
    }

    @Test
    void heartbeat_overHttp_makesTheNodeReady_andReportsUsage() throws Exception {
        register("ops-beat");
        HttpResponse<String> ack = send("POST", "/api/v1/nodes/ops-beat/heartbeat",
                "{\"usage\": {\"cpuMillis\": 250, \"memoryBytes\": 1048576, \"runningWorkloads\": 1}}", Map.of());
        assertEquals(200, ack.statusCode(), ack.body());
        Map<String, Object> body = parse(ack);
        assertEquals("ready", body.get("status"));
        assertEquals(3, ((Number) body.get("heartbeatIntervalSeconds")).intValue());
        assertEquals("ready", parse(send("GET", "/api/v1/nodes/ops-beat", null, Map.of())).get("status"));
        assertEquals(200, send("POST", "/api/v1/nodes/ops-beat/heartbeat", null, Map.of()).statusCode(), "a body is optional");
        assertProblem(send("POST", "/api/v1/nodes/nobody/heartbeat", "{}", Map.of()), 404, "NOT_FOUND");
        assertProblem(send("POST", "/api/v1/nodes/ops-beat/heartbeat", "{\"usage\": {\"cpuMillis\": -1}}", Map.of()),
                400, "INVALID_ARGUMENT");
    }

    @Test
    void cordonDrainUncordon_andIndependence() throws Exception {
        register("ops-mode");
        assertEquals("cordoned", parse(send("POST", "/api/v1/nodes/ops-mode/cordon", null, Map.of())).get("schedulingMode"));
        Map<String, Object> draining = parse(send("POST", "/api/v1/nodes/ops-mode/drain",
                "{\"deadline\": \"2999-01-01T00:00:00Z\"}", Map.of()));
        assertEquals("draining", draining.get("schedulingMode"));
        assertEquals("2999-01-01T00:00:00Z", draining.get("drainDeadline"));
        assertEquals(0, ((Number) draining.get("remainingInstances")).intValue(), "the provisioner moved what ran there: " + draining);
        assertProblem(send("POST", "/api/v1/nodes/ops-mode/drain", "{\"deadline\": \"2000-01-01T00:00:00Z\"}", Map.of()),
                400, "INVALID_ARGUMENT");
        assertEquals("schedulable", parse(send("POST", "/api/v1/nodes/ops-mode/uncordon", null, Map.of())).get("schedulingMode"));

        assertEquals(false, parse(send("GET", "/api/v1/nodes/ops-mode/independence", null, Map.of())).get("independent"));
        Map<String, Object> independent = parse(send("PUT", "/api/v1/nodes/ops-mode/independence", "{\"independent\": true}", Map.of()));
        assertEquals("independent", independent.get("status"));
        assertEquals(true, parse(send("GET", "/api/v1/nodes/ops-mode/independence", null, Map.of())).get("independent"));
        assertProblem(send("PUT", "/api/v1/nodes/ops-mode/independence", "{}", Map.of()), 400, "INVALID_ARGUMENT");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) parse(
                send("GET", "/api/v1/nodes/ops-mode/events", null, Map.of())).get("items");
        assertEquals("independent", events.get(0).get("status"));
        assertTrue(events.size() >= 4, events.toString());
    }

    @Test
    void patch_withVersion_changesFields_staleVersionIs409_missingVersionIs400() throws Exception {
        register("ops-patch");
        Map<String, Object> node = parse(send("GET", "/api/v1/nodes/ops-patch", null, Map.of()));
        long version = ((Number) node.get("version")).longValue();
        HttpResponse<String> patched = send("PATCH", "/api/v1/nodes/ops-patch",
                "{\"version\": %d, \"labels\": {\"pool\": \"ops\", \"disk\": \"ssd\"}, \"region\": \"eu-west\"}".formatted(version), Map.of());
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("eu-west", parse(patched).get("region"));
        assertEquals(Map.of("pool", "ops", "disk", "ssd"), parse(patched).get("labels"));
        assertProblem(send("PATCH", "/api/v1/nodes/ops-patch", "{\"version\": %d, \"region\": \"us\"}".formatted(version), Map.of()),
                409, "VERSION_CONFLICT");
        HttpResponse<String> noVersion = send("PATCH", "/api/v1/nodes/ops-patch", "{\"region\": \"us\"}", Map.of());
        assertProblem(noVersion, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("version"), errorFields(noVersion));
        HttpResponse<String> selected = send("GET", "/api/v1/nodes?labelSelector=pool%3Dops,disk%3Dssd", null, Map.of());
        assertTrue(selected.body().contains("\"ops-patch\""), selected.body());
        assertProblem(send("GET", "/api/v1/nodes?labelSelector=pool%20in%20(a)", null, Map.of()), 400, "INVALID_ARGUMENT");
    }

    @Test
    void credentials_areAccepted_andNeverShown() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/nodes", """
                {"name": "ops-cred", "driverKind": "docker", "endpoint": "tcp://127.0.0.1:2376",
                 "capacity": {"cpuMillis": 2000, "memoryBytes": 4294967296},
                 "credentials": {"bearerToken": "s3cr3t-token"}}""", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(true, parse(created).get("hasCredentials"));
        assertFalse(created.body().contains("s3cr3t"));
        assertFalse(send("GET", "/api/v1/nodes/ops-cred", null, Map.of()).body().contains("s3cr3t"));
        assertProblem(send("POST", "/api/v1/nodes", """
                {"name": "ops-cred2", "driverKind": "docker", "endpoint": "tcp://127.0.0.1:2376",
                 "capacity": {"cpuMillis": 2000, "memoryBytes": 4294967296}, "credentials": {}}""", Map.of()),
                400, "INVALID_ARGUMENT");
    }

    @Test
    void stats_andDeregistration() throws Exception {
        register("ops-gone");
        Map<String, Object> stats = parse(send("GET", "/api/v1/nodes/stats", null, Map.of()));
        assertTrue(((Number) stats.get("total")).intValue() >= 1);
        assertNotNull(((Map<?, ?>) stats.get("byStatus")).get("pending"));
        assertEquals(204, send("DELETE", "/api/v1/nodes/ops-gone", null, Map.of()).statusCode());
        assertProblem(send("GET", "/api/v1/nodes/ops-gone", null, Map.of()), 404, "NOT_FOUND");
        assertProblem(send("DELETE", "/api/v1/nodes/ops-gone", null, Map.of()), 404, "NOT_FOUND");
    }
}
