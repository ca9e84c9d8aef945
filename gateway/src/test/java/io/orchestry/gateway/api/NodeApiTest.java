package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** REST → gateway → gRPC → a real registry-service process → PostgreSQL, and back. */
@MicronautTest(transactional = false)
class NodeApiTest extends RestApiTest {
    private static String node(String name) {
        return """
                {"name": "%s", "driverKind": "docker", "endpoint": "tcp://127.0.0.1:2375",
                 "region": "eu-west", "labels": {"disk": "ssd"},
                 "capacity": {"cpuMillis": 4000, "memoryBytes": 8589934592}}""".formatted(name);
    }

    @Test
    void post_thenGet_roundTripsThroughTheRegistryIntoPostgres() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/nodes", node("web-1"), Map.of());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/api/v1/nodes/web-1", created.headers().firstValue("Location").orElseThrow());
        Map<String, Object> body = parse(created);
        assertEquals("web-1", body.get("name"));
        assertEquals("docker", body.get("driverKind"));
        assertEquals("pending", body.get("status"));
        assertEquals("schedulable", body.get("schedulingMode"));
        assertEquals(Map.of("disk", "ssd"), body.get("labels"));

        HttpResponse<String> fetched = send("GET", "/api/v1/nodes/web-1", null, Map.of());
        assertEquals(200, fetched.statusCode());
        assertEquals(body, parse(fetched));

        HttpResponse<String> listed = send("GET", "/api/v1/nodes?region=eu-west&status=pending", null, Map.of());
        assertEquals(200, listed.statusCode());
        List<?> items = (List<?>) parse(listed).get("items");
        assertTrue(items.stream().anyMatch(item -> "web-1".equals(((Map<?, ?>) item).get("name"))), listed.body());

        Map<String, String> db = RunningRegistry.get().datasource;
        try (Connection connection = DriverManager.getConnection(db.get("datasources.default.url"),
                db.get("datasources.default.username"), db.get("datasources.default.password"));
             ResultSet row = connection.createStatement().executeQuery(
                     "SELECT endpoint FROM registry.node WHERE name = 'web-1'")) {
            assertTrue(row.next(), "the node is in PostgreSQL");
            assertEquals("tcp://127.0.0.1:2375", row.getString(1));
        }
    }

    @Test
    void post_withBadFields_is400ProblemListingEachFieldInRestNames() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/nodes", """
                {"name": "Bad_Name", "driverKind": "docker", "endpoint": "ftp://x",
                 "capacity": {"cpuMillis": -1, "memoryBytes": 1024}}""", Map.of());
        assertProblem(response, 400, "INVALID_ARGUMENT");
        List<String> fields = errorFields(response);
        assertEquals(List.of("name", "endpoint", "capacity.cpuMillis"), fields);
    }

    @Test
    void post_withUnknownDriverKind_is400NamingDriverKind() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/nodes",
                node("vm-1").replace("\"docker\"", "\"vmware\""), Map.of());
        assertProblem(response, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("driverKind"), errorFields(response));
    }

    @Test
    void post_withMalformedJson_is400Problem() throws Exception {
        assertProblem(send("POST", "/api/v1/nodes", "{\"name\": ", Map.of()), 400, "INVALID_ARGUMENT");
    }

    @Test
    void post_withWrongTypes_is400Problem() throws Exception {
        assertProblem(send("POST", "/api/v1/nodes", "{\"name\": \"n\", \"capacity\": {\"cpuMillis\": \"lots\"}}",
                Map.of()), 400, "INVALID_ARGUMENT");
    }

    @Test
    void post_sameNameTwice_is409() throws Exception {
        assertEquals(201, send("POST", "/api/v1/nodes", node("dup-1"), Map.of()).statusCode());
        assertProblem(send("POST", "/api/v1/nodes", node("dup-1"), Map.of()), 409, "ALREADY_EXISTS");
    }

    @Test
    void get_missingNode_is404Problem() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/nodes/nowhere", null, Map.of());
        assertProblem(response, 404, "NOT_FOUND");
        assertEquals("/api/v1/nodes/nowhere", parse(response).get("instance"));
    }

    @Test
    void list_withBadQueryValues_is400() throws Exception {
        assertProblem(send("GET", "/api/v1/nodes?limit=lots", null, Map.of()), 400, "INVALID_ARGUMENT");
        HttpResponse<String> badStatus = send("GET", "/api/v1/nodes?status=sleeping", null, Map.of());
        assertProblem(badStatus, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("status"), errorFields(badStatus));
        HttpResponse<String> negative = send("GET", "/api/v1/nodes?limit=-3", null, Map.of());
        assertProblem(negative, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("limit"), errorFields(negative));
    }

    @Test
    void list_pagesWithLimitAndPageToken() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(201, send("POST", "/api/v1/nodes",
                    node("pg-" + i).replace("eu-west", "paged"), Map.of()).statusCode());
        }
        Map<String, Object> first = parse(send("GET", "/api/v1/nodes?region=paged&limit=2", null, Map.of()));
        assertEquals(2, ((List<?>) first.get("items")).size());
        String token = (String) first.get("nextPageToken");
        Map<String, Object> second = parse(send("GET", "/api/v1/nodes?region=paged&limit=2&pageToken=" + token, null, Map.of()));
        assertEquals(1, ((List<?>) second.get("items")).size());
        assertNull(second.get("nextPageToken"));
    }

    @Test
    void requestId_isEchoed_orMade() throws Exception {
        HttpResponse<String> given = send("GET", "/api/v1/nodes", null, Map.of("X-Request-Id", "trace-42"));
        assertEquals("trace-42", given.headers().firstValue("X-Request-Id").orElseThrow());
        HttpResponse<String> made = send("GET", "/api/v1/nodes", null, Map.of("X-Request-Id", "has spaces; {junk}"));
        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertFalse(id.contains(" "), id);
    }

    @Test
    void unknownPath_is404Problem_andHealthNeedsNothing() throws Exception {
        assertProblem(send("GET", "/api/v1/nothing-here", null, Map.of()), 404, "NOT_FOUND");
        assertEquals(200, send("GET", "/health", null, Map.of()).statusCode());
    }

}
