package io.orchestry.gateway.api;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A registry that does not answer is a 503 problem with Retry-After, naming no host or port. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryUnavailableTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    private int closedPort;

    @Override
    public Map<String, String> getProperties() {
        closedPort = 20_000;
        while (!PortOffsets.isFree(closedPort)) {
            closedPort++;
        }
        Map<String, String> properties = new HashMap<>(EmbeddedDatabase.shared().datasourceProperties("gateway_unavailable_test"));
        properties.put("orchestry.gateway.registry", "127.0.0.1:" + closedPort);
        properties.put("orchestry.gateway.deadline", "2s");
        properties.put("orchestry.gateway.auth.bootstrap-token", RunningRegistry.BOOTSTRAP_TOKEN);
        return properties;
    }

    @Test
    void registryDown_is503_withRetryAfter() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/nodes/any"))
                        .header("Authorization", "Bearer " + RunningRegistry.BOOTSTRAP_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
        assertTrue(response.body().contains("\"reason\":\"UNAVAILABLE\""), response.body());
        assertFalse(response.body().contains(Integer.toString(closedPort)), response.body());
    }
}
