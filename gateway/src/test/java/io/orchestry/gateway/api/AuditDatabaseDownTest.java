package io.orchestry.gateway.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.orchestry.database.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No audit, no mutation: with the gateway's database gone, a mutation is refused with 503 before it
 * reaches the registry (the node is not created), while reads with the bootstrap token still work.
 * Uses a database of its own, which it stops.
 */
class AuditDatabaseDownTest {

    @Test
    void mutation_isRefused_whenItCannotBeAudited() throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.start(0);
        Map<String, Object> properties = new HashMap<>(database.datasourceProperties("gateway_audit_down_test"));
        properties.putAll(RunningRegistry.get().gatewayProperties().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("datasources."))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        properties.put("micronaut.server.port", -1);
        properties.put("datasources.default.connection-timeout", 1000);
        try (EmbeddedServer gateway = ApplicationContext.run(EmbeddedServer.class, properties, "test")) {
            String body = "{\"name\": \"unaudited\", \"driverKind\": \"process\","
                    + " \"capacity\": {\"cpuMillis\": 1000, \"memoryBytes\": 1073741824}}";
            assertEquals(201, send(gateway, "POST", "/api/v1/nodes",
                    body.replace("unaudited", "audited")).statusCode(), "the same body is accepted while the database is up");
            database.close();

            HttpResponse<String> refused = send(gateway, "POST", "/api/v1/nodes", body);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertEquals(404, send(gateway, "GET", "/api/v1/nodes/unaudited", null).statusCode(),
                    "the registry never saw the mutation");
        } finally {
            database.close();
        }
    }

    private static HttpResponse<String> send(EmbeddedServer gateway, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.getPort() + path))
                .header("Authorization", "Bearer " + RunningRegistry.BOOTSTRAP_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
