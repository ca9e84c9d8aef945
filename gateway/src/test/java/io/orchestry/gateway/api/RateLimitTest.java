package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.controlloop.SettableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A token over its rate gets 429 with Retry-After; another token is not slowed by it; the bucket refills with time. */
@MicronautTest(transactional = false)
class RateLimitTest extends RestApiTest {
    @Inject
    SettableClock clock;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("orchestry.gateway.rate-limit.requests-per-second", "0.2");
        properties.put("orchestry.gateway.rate-limit.burst", "3");
        properties.put("orchestry.test.settable-clock", "true");
        return properties;
    }

    @Test
    void tokenOverItsBurst_gets429WithRetryAfter_othersDoNot() throws Exception {
        // the bootstrap token creates the second token: its first request of the burst
        String other = (String) parse(send("POST", "/api/v1/tokens", "{\"name\": \"other\", \"role\": \"viewer\"}", Map.of())).get("secret");
        for (int i = 0; i < 2; i++) {
            assertEquals(200, send("GET", "/api/v1/tokens/current", null, Map.of()).statusCode());
        }
        HttpResponse<String> limited = send("GET", "/api/v1/tokens/current", null, Map.of());
        assertProblem(limited, 429, "QUOTA_EXCEEDED");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 5, "one request per 5 s: " + retryAfter);
        assertEquals(200, sendAs(other, "GET", "/api/v1/tokens/current", null).statusCode(), "another token has its own bucket");
        assertEquals(200, sendAs(null, "GET", "/health", null).statusCode(), "public paths are not limited per token");

        clock.advance(Duration.ofSeconds(retryAfter).minusMillis(1));
        assertProblem(send("GET", "/api/v1/tokens/current", null, Map.of()), 429, "QUOTA_EXCEEDED");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(200, send("GET", "/api/v1/tokens/current", null, Map.of()).statusCode(), "after Retry-After it may go on");
    }
}
