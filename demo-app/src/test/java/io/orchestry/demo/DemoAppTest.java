package io.orchestry.demo;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoAppTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static DemoSettings settings(Map<String, String> env) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
        all.put("PORT", "0");
        return DemoSettings.from(all);
    }

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void root_withOrchestryEnv_answersInstanceRevisionAppAndPid() throws Exception {
        try (DemoApp app = DemoApp.start(settings(Map.of("ORCHESTRY_INSTANCE", "orchestry-web-3-0",
                "ORCHESTRY_REVISION", "3", "ORCHESTRY_APP", "web", "ORCHESTRY_PROJECT", "shop")))) {
            HttpResponse<String> response = send(app.port(), "GET", "/");
            assertEquals(200, response.statusCode());
            assertEquals("{\"instance\":\"orchestry-web-3-0\",\"revision\":\"3\",\"app\":\"web\",\"project\":\"shop\",\"pid\":"
                    + ProcessHandle.current().pid() + "}", response.body());
        }
    }

    @Test
    void health_afterFail_answers503_untilRecover() throws Exception {
        try (DemoApp app = DemoApp.start(settings(Map.of()))) {
            assertEquals(200, send(app.port(), "GET", "/health").statusCode());
            assertEquals(200, send(app.port(), "POST", "/health/fail").statusCode());
            assertEquals(503, send(app.port(), "GET", "/health").statusCode());
            send(app.port(), "POST", "/health/recover");
            assertEquals(200, send(app.port(), "GET", "/health").statusCode());
        }
    }

    @Test
    void health_demoUnhealthy_answers503FromTheStart() throws Exception {
        try (DemoApp app = DemoApp.start(settings(Map.of("DEMO_UNHEALTHY", "1")))) {
            assertEquals(503, send(app.port(), "GET", "/health").statusCode());
        }
    }

    @Test
    void burnAndSleep_answerWithTheirDuration_unknownPath404() throws Exception {
        try (DemoApp app = DemoApp.start(settings(Map.of()))) {
            assertEquals("burned 5 ms", send(app.port(), "GET", "/burn?ms=5").body());
            assertEquals("slept 1 ms", send(app.port(), "GET", "/sleep?ms=1").body());
            assertEquals(404, send(app.port(), "GET", "/nope").statusCode());
        }
    }

    @Test
    void millis_parsesClampsAndIgnoresJunk() {
        assertEquals(200, DemoApp.millis("ms=200"));
        assertEquals(7, DemoApp.millis("x=1&ms=7"));
        assertEquals(0, DemoApp.millis("ms=abc"));
        assertEquals(0, DemoApp.millis(null));
        assertEquals(60_000, DemoApp.millis("ms=99999999"));
        assertTrue(DemoApp.json("a\"b\n").contains("\\\"b\\n"));
    }
}
