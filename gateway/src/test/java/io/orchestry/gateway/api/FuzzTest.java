package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of the OpenAPI document, fed garbage: path traversal, unicode and huge ids;
 * malformed, mistyped, oversized and deeply nested bodies; nonsense query values. The answer is
 * never a 5xx, and every error is problem+json with the status it claims.
 */
@MicronautTest(transactional = false)
class FuzzTest extends RestApiTest {
    private static final List<String> IDS = List.of(
            "..%2F..%2Fetc%2Fpasswd", "..", "%2e%2e", "%00", "%25", "a%0d%0aSet-Cookie:x=1",
            URLEncoder.encode("ünïcödé-名前-🙂", StandardCharsets.UTF_8), "a".repeat(5000), "UPPER", "-x-", "x;y", "%7B%7D");
    private static final List<String> BODIES = List.of(
            "{\"name\": ", "not json at all", "[]", "null", "42", "\"string\"", "{}",
            "{\"name\": 5, \"labels\": \"x\", \"capacity\": [], \"version\": \"v\", \"role\": {}, \"independent\": \"yes\"}",
            "{\"name\": \"" + "n".repeat(100_000) + "\"}",
            "{\"name\": \"ünïcödé-名前-🙂\", \"displayName\": \"\\u0000\\u202e\", \"labels\": {\"\\u0000\": \"🙂\"}}",
            "{\"version\": 99999999999999999999999, \"expireTime\": \"yesterday\", \"deadline\": \"-5s\"}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"labels\": {" + "\"k\": \"v\",".repeat(20_000) + "\"k2\": \"v\"}}",
            // a route's values as nginx injection: every one must be a 400, never reach a config
            "{\"app\": \"mx-app\", \"hosts\": [\"a.com; include /etc/passwd\", \"a{b}\", \"\\u0441hop.com\", \"\", null],"
                    + " \"pathPrefix\": \"/x\\n}\", \"portName\": \"$http\", \"loadBalancing\": \"hash $remote_addr\","
                    + " \"timeouts\": {\"connect\": \"#5s\"}, \"tls\": {\"certificatePem\": \"'\", \"privateKeyPem\": 7}}");
    private static final List<String> QUERIES = List.of(
            "limit=-1", "limit=abc", "limit=99999999999999", "pageToken=%00%FF", "pageToken=" + "z".repeat(3000),
            "status=%F0%9F%99%82", "force=maybe", "since=never", "labelSelector=%3D%3D%3D", "type=" + "t".repeat(2000),
            "outcome=%7B%7D", "revision=-5", "revision=x", "app=%3B", "project=..");

    @Test
    void everyOperation_withGarbage_neverAnswers5xx_andErrorsAreProblems() throws Exception {
        Map<String, Object> document = new Yaml().load(sendAs(null, "GET", "/api/v1/openapi.yml", null).body());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (var entry : paths.entrySet()) {
            String template = entry.getKey();
            for (String method : entry.getValue().keySet()) {
                String verb = method.toUpperCase(Locale.ROOT);
                String operation = String.valueOf(entry.getValue().get(method));
                if (operation.contains("text/event-stream") && !operation.contains("application/json")) {
                    continue; // a stream that does not end; its errors are tested in EventsApiTest
                }
                List<String> targets = new ArrayList<>();
                if (template.contains("{")) {
                    IDS.forEach(id -> targets.add(template.replaceAll("\\{[^}]+}", id)));
                } else {
                    targets.add(template);
                }
                for (String target : targets) {
                    for (String query : QUERIES) {
                        sent++;
                        check(verb, target + "?" + query, bodiless(verb) ? null : "{}", failures);
                    }
                    if (!bodiless(verb)) {
                        for (String body : BODIES) {
                            sent++;
                            check(verb, target, body, failures);
                        }
                    }
                }
                if (!verb.equals("GET") && !verb.equals("HEAD")) {
                    sent++;
                    check(verb, targets.get(0), "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}", failures);
                }
            }
        }
        assertTrue(sent > 500, "fuzzed " + sent + " requests");
        try (java.sql.Connection c = database(); java.sql.ResultSet rows = c.createStatement().executeQuery(
                "SELECT count(*) FROM gateway.audit_record WHERE status IS NULL")) {
            rows.next();
            assertTrue(rows.getInt(1) == 0, rows.getInt(1) + " audited mutations were left without an outcome");
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " answers broke the contract:\n"
                + String.join("\n", failures));
    }

    private void check(String method, String path, String body, List<String> failures) throws Exception {
        HttpResponse<String> response;
        try {
            response = send(method, path, body, Map.of());
        } catch (java.io.IOException e) {
            failures.add(method + " " + abbreviate(path) + " -> connection failed: " + e);
            return;
        }
        int status = response.statusCode();
        String what = method + " " + abbreviate(path) + (body == null ? "" : " body " + abbreviate(body)) + " -> " + status;
        if (status >= 500) {
            failures.add(what + " " + abbreviate(response.body()));
        } else if (status >= 400 && !method.equals("HEAD")) { // a HEAD answer has no body to be a problem
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith(PROBLEM)) {
                failures.add(what + " with Content-Type '" + type + "': " + abbreviate(response.body()));
            } else if (!response.body().contains("\"status\":" + status)) {
                failures.add(what + " whose body says otherwise: " + abbreviate(response.body()));
            }
        }
    }

    private static boolean bodiless(String verb) {
        return verb.equals("GET") || verb.equals("DELETE") || verb.equals("HEAD");
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + ")" : s;
    }
}
