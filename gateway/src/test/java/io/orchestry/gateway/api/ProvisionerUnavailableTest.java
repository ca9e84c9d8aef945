package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.launcher.PortOffsets;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provisioner that does not answer: apps are a 503 problem, and a drain keeps the registry's part (the node is draining). */
@MicronautTest(transactional = false)
class ProvisionerUnavailableTest extends RestApiTest {
    private int closedPort;

    @Override
    public Map<String, String> getProperties() {
        closedPort = 21_000;
        while (!PortOffsets.isFree(closedPort)) {
            closedPort++;
        }
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("orchestry.gateway.provisioner", "127.0.0.1:" + closedPort);
        properties.put("orchestry.gateway.deadline", "2s");
        return properties;
    }

    @Test
    void drain_is503_butTheNodeStaysDraining() throws Exception {
        assertEquals(201, send("POST", "/api/v1/nodes", """
                {"name": "pu-node", "driverKind": "process", "capacity": {"cpuMillis": 1000, "memoryBytes": 1073741824}}""",
                Map.of()).statusCode());
        HttpResponse<String> drain = send("POST", "/api/v1/nodes/pu-node/drain", "{}", Map.of());
        assertProblem(drain, 503, "UNAVAILABLE");
        assertTrue(drain.headers().firstValue("Retry-After").isPresent());
        assertTrue(!drain.body().contains(Integer.toString(closedPort)), drain.body());
        assertEquals("draining", parse(send("GET", "/api/v1/nodes/pu-node", null, Map.of())).get("schedulingMode"));
    }

    @Test
    void apps_are503() throws Exception {
        assertProblem(send("GET", "/api/v1/apps/any", null, Map.of()), 503, "UNAVAILABLE");
        assertProblem(send("GET", "/api/v1/apps", null, Map.of()), 503, "UNAVAILABLE");
    }
}
