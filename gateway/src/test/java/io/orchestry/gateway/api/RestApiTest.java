package io.orchestry.gateway.api;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tests of the REST API over real HTTP against the gateway, which calls a real registry-service
 * process (one per test JVM) backed by PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RestApiTest implements TestPropertyProvider {
    static final String PROBLEM = "application/problem+json";

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    /**
     * The real registry, and the in-memory provisioner of the tests (one per test JVM) for apps, drains and
     * databases; like the real one, it holds a project in the registry while the project has a database. Routes and
     * nginx: the in-memory proxy of the tests, which asks that provisioner for apps.
     */
    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new java.util.HashMap<>(RunningRegistry.get().gatewayProperties());
        io.orchestry.gateway.fake.FakeProvisioner.shared().databases()
                .holdProjectsIn("127.0.0.1:" + RunningRegistry.get().process.grpcPort());
        properties.put("orchestry.gateway.provisioner", io.orchestry.gateway.fake.FakeProvisioner.shared().target());
        properties.put("orchestry.gateway.proxy", io.orchestry.gateway.fake.FakeProxy.shared().target());
        return properties;
    }

    /** A plain JDBC connection to the database the gateway uses (its tables are in schema {@code gateway}). */
    java.sql.Connection database() throws java.sql.SQLException {
        Map<String, String> ds = RunningRegistry.get().datasource;
        return java.sql.DriverManager.getConnection(ds.get("datasources.default.url"), ds.get("datasources.default.username"),
                ds.get("datasources.default.password"));
    }

    void assertProblem(HttpResponse<String> response, int status, String reason) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(PROBLEM, response.headers().firstValue("Content-Type").orElse("").split(";", -1)[0], response.body());
        Map<String, Object> problem = parse(response);
        assertEquals(status, ((Number) problem.get("status")).intValue());
        assertEquals(reason, problem.get("reason"), response.body());
        assertTrue(problem.get("type") instanceof String && problem.get("title") instanceof String, response.body());
        assertFalse(response.body().contains("Exception"), "no stack traces or class names: " + response.body());
    }

    @SuppressWarnings("unchecked")
    List<String> errorFields(HttpResponse<String> response) throws IOException {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) parse(response).get("errors");
        return errors.stream().map(e -> (String) e.get("field")).toList();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> parse(HttpResponse<String> response) throws IOException {
        return json.readValue(response.body(), Map.class);
    }

    /** Sends as the bootstrap (cluster-wide admin) token unless {@code headers} carry an Authorization. */
    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        if (!headers.containsKey("Authorization")) {
            Map<String, String> withToken = new java.util.HashMap<>(headers);
            withToken.put("Authorization", "Bearer " + RunningRegistry.BOOTSTRAP_TOKEN);
            return sendRaw(method, path, body, withToken);
        }
        return sendRaw(method, path, body, headers);
    }

    /** Sends with {@code token} as the bearer, or with no Authorization header when it is null. */
    HttpResponse<String> sendAs(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        return sendRaw(method, path, body, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    HttpResponse<String> sendRaw(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
