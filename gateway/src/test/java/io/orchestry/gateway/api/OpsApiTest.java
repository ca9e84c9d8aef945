package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Status, cluster, overview and infrastructure against a real registry; the other services are
 * not running in these tests, and must be reported as unreachable, not as fine.
 */
@MicronautTest(transactional = false)
class OpsApiTest extends RestApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void status_reportsTheRegistryServing_andTheMissingServicesUnreachable() throws Exception {
        Map<String, Object> status = parse(send("GET", "/api/v1/status", null, Map.of()));
        // the registry's first election round runs on its own thread as it starts: a bounded poll for it
        for (int attempt = 0; attempt < 100 && !registryLeads(status); attempt++) {
            Thread.sleep(100);
            status = parse(send("GET", "/api/v1/status", null, Map.of()));
        }
        List<Map<String, Object>> services = (List<Map<String, Object>>) status.get("services");
        Map<String, Object> registry = services.stream().filter(s -> s.get("name").equals("registry")).findFirst().orElseThrow();
        assertEquals("serving", registry.get("health"));
        assertEquals(true, registry.get("reachable"));
        assertTrue(((String) registry.get("version")).matches("\\d+\\.\\d+\\.\\d+.*"), registry.toString());
        assertTrue(((String) registry.get("replica")).endsWith("/" + RunningRegistry.get().process.pid()), registry.toString());
        Map<String, Object> leadership = (Map<String, Object>) registry.get("leadership");
        assertEquals(true, leadership.get("electionEnabled"), "the registry elects its leader on PostgreSQL: " + leadership);
        assertEquals(registry.get("replica"), leadership.get("leader"), "its one replica leads");
        assertTrue(((Number) leadership.get("epoch")).longValue() >= 1, leadership.toString());
        assertNotNull(leadership.get("acquiredAt"), leadership.toString());

        Map<String, Object> scaler = services.stream().filter(s -> s.get("name").equals("scaler")).findFirst().orElseThrow();
        assertEquals(false, scaler.get("reachable"));
        assertEquals("unreachable", scaler.get("health"));
        assertEquals(false, status.get("healthy"), "not healthy while services are missing");
        assertEquals(true, ((Map<String, Object>) ((Map<String, Object>) status.get("gateway")).get("database")).get("reachable"));

        List<Map<String, Object>> leaders = (List<Map<String, Object>>) parse(send("GET", "/api/v1/cluster/leader", null, Map.of())).get("services");
        assertEquals(4, leaders.size());
        Map<String, Object> registryLeader = leaders.stream().filter(s -> s.get("name").equals("registry")).findFirst().orElseThrow();
        assertEquals(leadership, registryLeader.get("leadership"));
        List<Map<String, Object>> cluster = (List<Map<String, Object>>) parse(send("GET", "/api/v1/cluster/status", null, Map.of())).get("services");
        Map<String, Object> registryReplicas = cluster.stream().filter(s -> s.get("name").equals("registry")).findFirst().orElseThrow();
        List<Map<String, Object>> replicas = (List<Map<String, Object>>) registryReplicas.get("replicas");
        assertEquals(1, replicas.size());
        assertEquals(true, replicas.get(0).get("leader"), replicas.toString());
        assertEquals(leadership, registryReplicas.get("leadership"));
    }

    @SuppressWarnings("unchecked")
    private static boolean registryLeads(Map<String, Object> status) {
        return ((List<Map<String, Object>>) status.get("services")).stream()
                .filter(s -> s.get("name").equals("registry"))
                .map(s -> (Map<String, Object>) s.get("leadership"))
                .anyMatch(l -> l != null && l.get("leader") != null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void overview_andInfrastructure_showNodes_andInfrastructureActionsDriveTheRegistry() throws Exception {
        assertEquals(201, send("POST", "/api/v1/nodes", """
                {"name": "infra-1", "driverKind": "process", "capacity": {"cpuMillis": 1000, "memoryBytes": 1073741824}}""",
                Map.of()).statusCode());
        Map<String, Object> overview = parse(send("GET", "/api/v1/overview", null, Map.of()));
        assertTrue(((Number) ((Map<String, Object>) overview.get("nodes")).get("total")).intValue() >= 1);
        assertNotNull(overview.get("recentActions"), "an admin sees recent actions");
        assertTrue(overview.get("recentActions").toString().contains("/api/v1/nodes"), overview.toString());

        List<Map<String, Object>> items = (List<Map<String, Object>>) parse(send("GET", "/api/v1/infrastructure?type=node", null, Map.of())).get("items");
        assertTrue(items.stream().anyMatch(i -> i.get("id").equals("infra-1") && i.get("type").equals("node")), items.toString());

        assertEquals(204, send("POST", "/api/v1/infrastructure/node/infra-1/stop", null, Map.of()).statusCode());
        assertEquals("cordoned", parse(send("GET", "/api/v1/nodes/infra-1", null, Map.of())).get("schedulingMode"));
        assertEquals(204, send("POST", "/api/v1/infrastructure/node/infra-1/start", null, Map.of()).statusCode());
        assertEquals("schedulable", parse(send("GET", "/api/v1/nodes/infra-1", null, Map.of())).get("schedulingMode"));
        assertEquals(204, send("DELETE", "/api/v1/infrastructure/node/infra-1", null, Map.of()).statusCode());
        assertProblem(send("GET", "/api/v1/nodes/infra-1", null, Map.of()), 404, "NOT_FOUND");

        assertProblem(send("POST", "/api/v1/infrastructure/spaceship/x/start", null, Map.of()), 400, "INVALID_ARGUMENT");
        assertProblem(send("POST", "/api/v1/infrastructure/database/x/start", null, Map.of()), 501, "NOT_IMPLEMENTED");
    }
}
