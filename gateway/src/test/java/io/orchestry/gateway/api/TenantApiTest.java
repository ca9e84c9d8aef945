package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Organizations and projects through REST. */
@MicronautTest(transactional = false)
class TenantApiTest extends RestApiTest {

    @Test
    void organizationAndProjects_fullCycle() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/organizations", "{\"name\": \"globex\", \"displayName\": \"Globex\"}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/api/v1/organizations/globex", created.headers().firstValue("Location").orElseThrow());
        long version = ((Number) parse(created).get("version")).longValue();

        assertEquals(201, send("POST", "/api/v1/organizations/globex/projects", "{\"name\": \"globex-web\"}", Map.of()).statusCode());
        assertEquals(201, send("POST", "/api/v1/organizations/globex/projects", "{\"name\": \"globex-api\"}", Map.of()).statusCode());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> projects = (List<Map<String, Object>>) parse(
                send("GET", "/api/v1/organizations/globex/projects", null, Map.of())).get("items");
        assertEquals(List.of("globex-api", "globex-web"), projects.stream().map(p -> p.get("name")).toList());
        assertEquals("globex", parse(send("GET", "/api/v1/projects/globex-web", null, Map.of())).get("organization"));
        assertEquals(2, ((Number) parse(send("GET", "/api/v1/organizations/globex", null, Map.of())).get("projectCount")).intValue());

        HttpResponse<String> patched = send("PATCH", "/api/v1/organizations/globex",
                "{\"version\": %d, \"labels\": {\"tier\": \"gold\"}}".formatted(version), Map.of());
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("Globex", parse(patched).get("displayName"));
        assertProblem(send("PATCH", "/api/v1/organizations/globex", "{\"version\": %d, \"displayName\": \"x\"}".formatted(version), Map.of()),
                409, "VERSION_CONFLICT");

        assertProblem(send("DELETE", "/api/v1/organizations/globex", null, Map.of()), 409, "FAILED_PRECONDITION");
        assertEquals(204, send("DELETE", "/api/v1/projects/globex-api", null, Map.of()).statusCode());
        assertEquals(204, send("DELETE", "/api/v1/organizations/globex?force=true", null, Map.of()).statusCode());
        assertProblem(send("GET", "/api/v1/projects/globex-web", null, Map.of()), 404, "NOT_FOUND");
    }

    @Test
    void badNames_duplicates_andMissingParents() throws Exception {
        HttpResponse<String> bad = send("POST", "/api/v1/organizations", "{\"name\": \"-bad-\", \"displayName\": \"" + "x".repeat(300) + "\"}", Map.of());
        assertProblem(bad, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("name", "displayName"), errorFields(bad));
        assertProblem(send("POST", "/api/v1/organizations", "{}", Map.of()), 400, "INVALID_ARGUMENT");
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"initech\"}", Map.of()).statusCode());
        assertProblem(send("POST", "/api/v1/organizations", "{\"name\": \"initech\"}", Map.of()), 409, "ALREADY_EXISTS");
        assertProblem(send("POST", "/api/v1/organizations/nowhere/projects", "{\"name\": \"lost\"}", Map.of()), 404, "NOT_FOUND");
        assertProblem(send("GET", "/api/v1/organizations/nowhere/projects", null, Map.of()), 404, "NOT_FOUND");
    }
}
