package io.orchestry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The REST API as a test's user calls it: a bearer token, JSON in and out, the status checked. */
final class Rest {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    Rest(String base, String token) {
        this.base = base;
        this.token = token;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    void expect(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertEquals(status, response.statusCode(), method + " " + path + " -> " + response.body());
    }

    JsonNode json(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertEquals(status, response.statusCode(), method + " " + path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    int status(String method, String path) throws Exception {
        return send(method, path, null).statusCode();
    }

    /** GET of any URL (an instance's address, or the gateway with the token); the body, whatever the status. */
    String plainGet(String url) throws Exception {
        return send("GET", url, null).body();
    }
}
