package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.controlloop.SettableClock;
import io.orchestry.gateway.auth.ApiToken;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.auth.TokenRepository;
import io.orchestry.gateway.tenant.Transactions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API tokens: shown once, stored as a hash, scoped, revocable, expiring; and the audit log that records their use. */
@MicronautTest(transactional = false)
class TokenApiTest extends RestApiTest {
    /** The gateway's clock: expiry, the token cache's TTL and audit times read it, and the tests move it. */
    @Inject
    SettableClock clock;
    @Inject
    Transactions transactions;
    @Inject
    TokenRepository tokenRepository;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("orchestry.test.settable-clock", "true");
        return properties;
    }

    @Test
    @SuppressWarnings("unchecked")
    void token_isShownOnce_storedOnlyAsHash_andStopsWorkingWhenRevoked() throws Exception {
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"tk-org\"}", Map.of()).statusCode());
        HttpResponse<String> created = send("POST", "/api/v1/tokens",
                "{\"name\": \"deploy bot\", \"role\": \"operator\", \"organization\": \"tk-org\"}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> token = parse(created);
        String id = (String) token.get("id");
        String secret = (String) token.get("secret");
        assertTrue(secret.startsWith("orch_") && secret.length() >= 40, secret);
        assertEquals("/api/v1/tokens/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals("bootstrap", token.get("createdBy"));

        HttpResponse<String> fetched = send("GET", "/api/v1/tokens/" + id, null, Map.of());
        assertFalse(fetched.body().contains(secret), "the secret is shown once");
        assertNull(parse(fetched).get("secret"));
        assertFalse(send("GET", "/api/v1/tokens", null, Map.of()).body().contains(secret));

        Map<String, Object> current = parse(sendAs(secret, "GET", "/api/v1/tokens/current", null));
        assertEquals(Map.of("id", id, "role", "operator", "organization", "tk-org"), current);
        assertTrue(parse(send("GET", "/api/v1/tokens/" + id, null, Map.of())).get("lastUseTime") instanceof String,
                "its use is recorded");

        try (Connection c = database(); ResultSet rows = c.createStatement().executeQuery(
                "SELECT t::text FROM gateway.api_token t UNION ALL SELECT a::text FROM gateway.audit_record a")) {
            while (rows.next()) {
                assertFalse(rows.getString(1).contains(secret), "no secret in any stored row: " + rows.getString(1));
                assertFalse(rows.getString(1).contains(RunningRegistry.BOOTSTRAP_TOKEN), rows.getString(1));
            }
        }

        assertEquals(204, send("DELETE", "/api/v1/tokens/" + id, null, Map.of()).statusCode());
        HttpResponse<String> revoked = sendAs(secret, "GET", "/api/v1/tokens/current", null);
        assertProblem(revoked, 401, "UNAUTHENTICATED");
        assertTrue(revoked.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertProblem(send("DELETE", "/api/v1/tokens/" + id, null, Map.of()), 404, "NOT_FOUND");
        assertFalse(((List<Map<String, Object>>) parse(send("GET", "/api/v1/tokens?organization=tk-org", null, Map.of()))
                .get("items")).stream().anyMatch(t -> t.get("id").equals(id)), "a revoked token is not listed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOrganizationsAuditLog_showsWhatAnyoneDidToIt_andNothingElse() throws Exception {
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"au-own\"}", Map.of()).statusCode());
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"au-else\"}", Map.of()).statusCode());
        String admin = (String) parse(send("POST", "/api/v1/tokens",
                "{\"name\": \"a\", \"role\": \"admin\", \"organization\": \"au-own\"}", Map.of())).get("secret");
        // the cluster-wide admin acts on both organizations
        assertEquals(201, send("POST", "/api/v1/organizations/au-own/projects", "{\"name\": \"au-own-web\"}",
                Map.of("X-Request-Id", "to-own")).statusCode());
        assertEquals(201, send("POST", "/api/v1/organizations/au-else/projects", "{\"name\": \"au-else-web\"}",
                Map.of("X-Request-Id", "to-else")).statusCode());
        assertEquals(204, send("DELETE", "/api/v1/projects/au-own-web", null, Map.of("X-Request-Id", "del-own")).statusCode());

        List<Map<String, Object>> seen = (List<Map<String, Object>>) parse(sendAs(admin, "GET", "/api/v1/logs?limit=1000", null)).get("items");
        List<Object> ids = seen.stream().map(r -> r.get("requestId")).toList();
        assertTrue(ids.containsAll(List.of("to-own", "del-own")), "done to au-own by the cluster admin: " + ids);
        assertFalse(ids.contains("to-else"), "done to another organization: " + ids);
        assertTrue(seen.stream().filter(r -> r.get("requestId").equals("del-own"))
                .allMatch(r -> "au-own".equals(r.get("targetOrganization")) && "bootstrap".equals(r.get("actor"))));
    }

    @Test
    void deletingAnOrganization_revokesItsTokens() throws Exception {
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"tk-gone\"}", Map.of()).statusCode());
        String secret = (String) parse(send("POST", "/api/v1/tokens",
                "{\"name\": \"a\", \"role\": \"admin\", \"organization\": \"tk-gone\"}", Map.of())).get("secret");
        assertEquals(200, sendAs(secret, "GET", "/api/v1/organizations/tk-gone", null).statusCode());
        assertEquals(204, send("DELETE", "/api/v1/organizations/tk-gone", null, Map.of()).statusCode());
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"tk-gone\"}", Map.of()).statusCode());
        assertProblem(sendAs(secret, "GET", "/api/v1/organizations/tk-gone", null), 401, "UNAUTHENTICATED");
        String successor = (String) parse(send("POST", "/api/v1/tokens",
                "{\"name\": \"b\", \"role\": \"admin\", \"organization\": \"tk-gone\"}", Map.of())).get("secret");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) parse(sendAs(successor, "GET", "/api/v1/logs", null)).get("items");
        assertEquals(1, history.size(), "only its own creation of this token, nothing of its predecessor: " + history);
        assertEquals("POST", history.get(0).get("method"));
    }

    @Test
    void badTokensAndBadRequests_areRefusedClearly() throws Exception {
        assertProblem(sendAs("orch_nothing", "GET", "/api/v1/nodes", null), 401, "UNAUTHENTICATED");
        assertProblem(sendRaw("GET", "/api/v1/nodes", null, Map.of("Authorization", "Basic dXNlcjpwYXNz")), 401, "UNAUTHENTICATED");
        assertEquals(200, sendAs(null, "GET", "/health", null).statusCode(), "/health needs no token");
        assertEquals(405, sendRaw("POST", "/health", "{}", Map.of("X-Request-Id", "anon-post")).statusCode());
        try (Connection c = database(); ResultSet rows = c.createStatement().executeQuery(
                "SELECT count(*) FROM gateway.audit_record WHERE request_id = 'anon-post'")) {
            rows.next();
            assertEquals(0, rows.getInt(1), "no caller, no audit record");
        }

        HttpResponse<String> invalid = send("POST", "/api/v1/tokens", "{\"name\": \"\", \"role\": \"root\"}", Map.of());
        assertProblem(invalid, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("role"), errorFields(invalid));
        HttpResponse<String> past = send("POST", "/api/v1/tokens", "{\"name\": \"old\", \"role\": \"viewer\", \"expireTime\": \"2020-01-01T00:00:00Z\"}", Map.of());
        assertProblem(past, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("expireTime"), errorFields(past));
        HttpResponse<String> nowhere = send("POST", "/api/v1/tokens", "{\"name\": \"x\", \"role\": \"viewer\", \"organization\": \"no-such-org\"}", Map.of());
        assertProblem(nowhere, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("organization"), errorFields(nowhere));
    }

    @Test
    @SuppressWarnings("unchecked")
    void tokenList_pagesByTheOnePageRule() throws Exception {
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"tk-pages\"}", Map.of()).statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(201, send("POST", "/api/v1/tokens",
                    "{\"name\": \"p" + i + "\", \"role\": \"viewer\", \"organization\": \"tk-pages\"}", Map.of()).statusCode());
        }
        Map<String, Object> first = parse(send("GET", "/api/v1/tokens?organization=tk-pages&limit=2", null, Map.of()));
        List<Map<String, Object>> firstItems = (List<Map<String, Object>>) first.get("items");
        assertEquals(2, firstItems.size(), firstItems.toString());
        String next = (String) first.get("nextPageToken");
        assertNotNull(next);
        Map<String, Object> second = parse(send("GET", "/api/v1/tokens?organization=tk-pages&limit=2&pageToken=" + next, null, Map.of()));
        List<Object> names = new java.util.ArrayList<>(firstItems.stream().map(t -> t.get("name")).toList());
        ((List<Map<String, Object>>) second.get("items")).forEach(t -> names.add(t.get("name")));
        assertEquals(java.util.Set.of("p0", "p1", "p2"), java.util.Set.copyOf(names));
        assertEquals(3, names.size(), "no token on two pages: " + names);
        assertNull(second.get("nextPageToken"), "the last page says so");

        assertEquals(3, ((List<?>) parse(send("GET", "/api/v1/tokens?organization=tk-pages&limit=5000", null, Map.of()))
                .get("items")).size(), "a size above 1000 is clipped, not refused");
        HttpResponse<String> negative = send("GET", "/api/v1/tokens?limit=-1", null, Map.of());
        assertProblem(negative, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("limit"), errorFields(negative));
        String auditToken = (String) parse(send("GET", "/api/v1/logs?limit=1", null, Map.of())).get("nextPageToken");
        HttpResponse<String> foreign = send("GET", "/api/v1/tokens?pageToken=" + auditToken, null, Map.of());
        assertProblem(foreign, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("pageToken"), errorFields(foreign), "another list's token is refused, never read as the first page");
    }

    @Test
    void aUseCasesWrites_commitTogetherOrNotAtAll() {
        ApiToken token = new ApiToken("tok_rolledback", "r", Role.VIEWER, null, "test", clock.instant(), null, null, null);
        assertThrows(IllegalStateException.class, () -> transactions.write(() -> {
            tokenRepository.insert(token, new byte[32]);
            assertTrue(tokenRepository.find(token.id()).isPresent(), "seen inside the transaction");
            throw new IllegalStateException("a later write of the same use case failed");
        }));
        assertTrue(tokenRepository.find(token.id()).isEmpty(), "a repository call inside a use case's transaction joins it");
    }

    @Test
    void expiringToken_worksUntilItExpires() throws Exception {
        String soon = clock.instant().plusSeconds(3600).toString();
        Map<String, Object> token = parse(send("POST", "/api/v1/tokens",
                "{\"name\": \"ci\", \"role\": \"viewer\", \"expireTime\": \"" + soon + "\"}", Map.of()));
        assertEquals(soon, token.get("expireTime"));
        assertEquals(200, sendAs((String) token.get("secret"), "GET", "/api/v1/nodes", null).statusCode());
        try (Connection c = database(); PreparedStatement expire = c.prepareStatement(
                "UPDATE gateway.api_token SET expires_at = ? WHERE id = ?")) {
            expire.setTimestamp(1, Timestamp.from(clock.instant().minusSeconds(1)));
            expire.setString(2, (String) token.get("id"));
            expire.executeUpdate();
        }
        // the gateway trusts a verified token for its cache TTL (5 s) and then reads the database again
        assertEquals(200, sendAs((String) token.get("secret"), "GET", "/api/v1/nodes", null).statusCode(),
                "within the cache TTL the token is not read again");
        clock.advance(Duration.ofSeconds(5));
        assertProblem(sendAs((String) token.get("secret"), "GET", "/api/v1/nodes", null), 401, "UNAUTHENTICATED");
    }

    @Test
    @SuppressWarnings("unchecked")
    void auditLog_filtersByTypeStatusActorAndTime_andPages() throws Exception {
        String since = clock.instant().minusSeconds(1).toString();
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"au-org\"}", Map.of("X-Request-Id", "au-1")).statusCode());
        assertEquals(409, send("POST", "/api/v1/organizations", "{\"name\": \"au-org\"}", Map.of("X-Request-Id", "au-2")).statusCode());
        assertEquals(401, sendRaw("DELETE", "/api/v1/organizations/au-org", null, Map.of("X-Request-Id", "au-3")).statusCode());

        List<Map<String, Object>> conflicts = (List<Map<String, Object>>) parse(send("GET",
                "/api/v1/logs?type=organizations&status=409&since=" + since, null, Map.of())).get("items");
        assertEquals(1, conflicts.size(), conflicts.toString());
        Map<String, Object> conflict = conflicts.get(0);
        assertEquals("au-2", conflict.get("requestId"));
        assertEquals("bootstrap", conflict.get("actor"));
        assertEquals("POST", conflict.get("method"));
        assertEquals("/api/v1/organizations", conflict.get("path"));

        List<Map<String, Object>> created = (List<Map<String, Object>>) parse(send("GET",
                "/api/v1/logs?type=organizations&status=2xx&since=" + since, null, Map.of())).get("items");
        assertTrue(created.stream().anyMatch(r -> "au-org".equals(r.get("targetId"))), created.toString());
        assertTrue(created.stream().allMatch(r -> ((Number) r.get("status")).intValue() / 100 == 2), created.toString());

        List<Map<String, Object>> recent = (List<Map<String, Object>>) parse(send("GET",
                "/api/v1/logs?since=" + since, null, Map.of())).get("items");
        assertTrue(recent.stream().noneMatch(r -> r.get("requestId").equals("au-3")), "a request without a token is only logged");

        Map<String, Object> firstPage = parse(send("GET", "/api/v1/logs?actor=bootstrap&limit=1", null, Map.of()));
        assertEquals(1, ((List<?>) firstPage.get("items")).size());
        String next = (String) firstPage.get("nextPageToken");
        Map<String, Object> secondPage = parse(send("GET", "/api/v1/logs?actor=bootstrap&limit=1&pageToken=" + next, null, Map.of()));
        long firstId = ((Number) ((List<Map<String, Object>>) firstPage.get("items")).get(0).get("id")).longValue();
        assertFalse(next.contains(Long.toString(firstId)), "page tokens are opaque, not the id: " + next);
        assertTrue(((Number) ((List<Map<String, Object>>) secondPage.get("items")).get(0).get("id")).longValue() < firstId,
                "the second page starts after the first");

        HttpResponse<String> bad = send("GET", "/api/v1/logs?status=teapot&since=yesterday&pageToken=x", null, Map.of());
        assertProblem(bad, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("status", "pageToken", "since"), errorFields(bad));
    }
}
