package io.orchestry.gateway.api;

import io.micronaut.http.HttpMethod;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document and Swagger UI: served without a token, complete, and needing nothing from the internet. */
@MicronautTest(transactional = false)
class OpenApiTest extends RestApiTest {
    @Inject
    Router router;

    @Test
    void document_isPublic_andDescribesEveryApiRoute_withAuthAndProblems() throws Exception {
        HttpResponse<String> response = sendAs(null, "GET", "/api/v1/openapi.yml", null);
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> document = new Yaml().load(response.body());
        assertTrue(String.valueOf(document.get("openapi")).startsWith("3."));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) document.get("paths");

        Set<String> served = new TreeSet<>();
        router.uriRoutes().map(UriRouteInfo.class::cast)
                // every GET also answers HEAD on its own; only a HEAD declared for itself (@Head) is an operation
                .filter(r -> r.getUriMatchTemplate().toString().startsWith("/api/v1/")
                        && (r.getHttpMethod() != HttpMethod.HEAD || r.getAnnotationMetadata().hasDeclaredAnnotation(io.micronaut.http.annotation.Head.class)))
                .forEach(r -> served.add(r.getHttpMethod() + " " + r.getUriMatchTemplate().toPathString()));
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> HttpMethod.parse(m.toUpperCase(Locale.ROOT)) != HttpMethod.CUSTOM)
                .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        // OpenAPI 3.0 cannot describe a WebSocket: /api/v1/ws is described in GET /api/v1/events instead
        assertTrue(served.remove("GET /api/v1/ws"));
        assertTrue(response.body().contains("/api/v1/ws"), "the WebSocket is mentioned");
        assertEquals(served, documented);
        assertTrue(served.contains("HEAD /api/v1/databases/{project}"), served.toString());
        for (String route : new String[]{"GET /api/v1/routes", "POST /api/v1/routes", "GET /api/v1/routes/{id}",
                "PUT /api/v1/routes/{id}", "DELETE /api/v1/routes/{id}", "GET /api/v1/proxy/status", "GET /api/v1/proxy/config",
                "GET /api/v1/proxy/revisions", "POST /api/v1/proxy/reload"}) {
            assertTrue(served.contains(route), "the proxy's endpoints are served and documented: " + route);
        }
        for (String body : new String[]{"DatabaseRequestJson.Create", "DatabaseRequestJson.Update", "DatabaseRequestJson.Restore",
                "DatabaseJson.Credentials", "DatabaseJson.Backup",
                "RouteRequestJson.Route", "RouteJson.Change", "ConfigRevisionJson", "ProxyStatusJson"}) {
            assertTrue(response.body().contains(body), "the database bodies are described: " + body);
        }

        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            for (String status : new String[]{"400", "401", "403", "404", "503"}) {
                assertTrue(responses.containsKey(status), method + " " + path + " documents " + status);
                assertTrue(responses.get(status).toString().contains("application/problem+json"), method + " " + path);
            }
        }));
        assertTrue(response.body().contains("bearer"), "a bearer security scheme");
    }

    @Test
    void swaggerUi_isPublic_andLoadsOnlyFromTheGateway() throws Exception {
        HttpResponse<String> page = sendAs(null, "GET", "/swagger-ui/index.html", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/api/v1/openapi.yml"), page.body());
        assertTrue(page.body().contains("/swagger-ui/res/swagger-ui-bundle.js"));
        assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "no asset from another host");
        assertEquals(200, sendAs(null, "GET", "/swagger-ui/res/swagger-ui-bundle.js", null).statusCode());
        assertEquals(200, sendAs(null, "GET", "/swagger-ui", null).statusCode());
    }
}
