package io.orchestry.gateway.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.gateway.fake.FakeProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Databases, backups and restores through REST: the gateway against the real registry (projects,
 * their holds, tokens) and the in-memory provisioner of test sources (its database RPCs after the
 * contract; the real provisioner's are the lead's). What reaches the logs and the audit log is read
 * back: a password is in neither.
 */
@MicronautTest(transactional = false)
class DatabaseApiTest extends RestApiTest {
    static final String ORG = "db-acme";
    static final String OTHER = "db-other";
    static final String PASSWORD = "Sup3r-secret-pw-4242";
    private static final List<String> LOGGED = List.of("io.orchestry", "io.micronaut.http");

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final FakeProvisioner fake = FakeProvisioner.shared();
    private String operator;
    private String viewer;

    @BeforeAll
    void tenants() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        logs.start();
        // the gateway's own code and Micronaut's HTTP layer as talkative as they get: a password in any of their logs shows
        for (String name : LOGGED) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.TRACE);
        }
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"" + ORG + "\"}", Map.of()).statusCode());
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"" + OTHER + "\"}", Map.of()).statusCode());
        operator = token("operator");
        viewer = token("viewer");
    }

    @AfterAll
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        for (String name : LOGGED) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(null);
        }
    }

    private String token(String role) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/tokens", "{\"name\": \"db-" + role + "\", \"role\": \"" + role
                + "\", \"organization\": \"" + ORG + "\"}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        return (String) parse(created).get("secret");
    }

    private void project(String name, String organization) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/organizations/" + organization + "/projects",
                "{\"name\": \"" + name + "\"}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
    }

    private Map<String, Object> database(String project) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/databases", "{\"project\": \"" + project + "\", \"password\": \""
                + PASSWORD + "\", \"memoryBytes\": 268435456, \"cpuMillis\": 500}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        return parse(created);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    @Test
    void create_answers201WithLocation_roundTripsInLowerCaseWords_andNeverShowsThePassword() throws Exception {
        project("db-shop", ORG);
        HttpResponse<String> created = send("POST", "/api/v1/databases", "{\"project\": \"db-shop\", \"engineVersion\": \"16\","
                + " \"password\": \"" + PASSWORD + "\", \"memoryBytes\": 268435456, \"cpuMillis\": 500,"
                + " \"backupSchedule\": \"0 3 * * *\", \"keepBackups\": 3}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/api/v1/databases/db-shop", created.headers().firstValue("Location").orElseThrow());
        assertFalse(created.body().contains(PASSWORD), created.body());
        Map<String, Object> body = parse(created);
        assertEquals("db-shop", body.get("project"));
        assertEquals("ready", body.get("state"));
        assertEquals("16", body.get("engineVersion"));
        assertEquals(268435456L, ((Number) body.get("memoryBytes")).longValue());
        assertEquals("0 3 * * *", body.get("backupSchedule"));
        assertEquals(3, ((Number) body.get("keepBackups")).intValue());
        assertNull(body.get("lastBackupTime"), "no backup yet");

        HttpResponse<String> fetched = send("GET", "/api/v1/databases/db-shop", null, Map.of());
        assertEquals(body, parse(fetched));
        HttpResponse<String> listed = send("GET", "/api/v1/databases?project=db-shop", null, Map.of());
        assertEquals(List.of(body), items(parse(listed)));
        assertTrue(items(parse(send("GET", "/api/v1/databases?state=ready", null, Map.of()))).contains(body));
        assertEquals(List.of(), items(parse(send("GET", "/api/v1/databases?project=db-shop&state=failed", null, Map.of()))));
        for (HttpResponse<String> read : List.of(fetched, listed)) {
            assertFalse(read.body().contains(PASSWORD), read.body());
        }
        assertEquals(List.of("database"), parse(send("GET", "/api/v1/projects/db-shop", null, Map.of())).get("holds"),
                "the provisioner holds the project while it has a database");
        assertProblem(send("POST", "/api/v1/databases", "{\"project\": \"db-shop\"}", Map.of()), 409, "ALREADY_EXISTS");
        assertNoPasswordLogged();
    }

    @Test
    void head_is200WhenThereIsOne_404Otherwise_withoutABody() throws Exception {
        project("db-head", ORG);
        project("db-head-none", ORG);
        database("db-head");
        HttpResponse<String> there = send("HEAD", "/api/v1/databases/db-head", null, Map.of());
        assertEquals(200, there.statusCode());
        assertEquals("", there.body());
        HttpResponse<String> none = send("HEAD", "/api/v1/databases/db-head-none", null, Map.of());
        assertEquals(404, none.statusCode());
        assertEquals("", none.body());
        assertEquals(404, send("HEAD", "/api/v1/databases/no-such-project", null, Map.of()).statusCode());
        assertEquals(200, sendAs(viewer, "HEAD", "/api/v1/databases/db-head", null).statusCode());
    }

    @Test
    void badInput_is400_namingEachFieldAsTheCallerWroteIt_andLeavesNothing() throws Exception {
        project("db-bad", ORG);
        HttpResponse<String> noProject = send("POST", "/api/v1/databases", "{\"password\": \"" + PASSWORD + "\"}", Map.of());
        assertProblem(noProject, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("project"), errorFields(noProject));

        HttpResponse<String> bad = send("POST", "/api/v1/databases", "{\"project\": \"db-bad\", \"engineVersion\": \"9\","
                + " \"port\": 70000, \"memoryBytes\": -1, \"password\": \"" + PASSWORD + "\"}", Map.of());
        assertProblem(bad, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("engineVersion", "port", "memoryBytes"), errorFields(bad));
        assertFalse(bad.body().contains(PASSWORD), bad.body());

        HttpResponse<String> mistyped = send("POST", "/api/v1/databases", "{\"project\": \"db-bad\", \"port\": \"x\","
                + " \"password\": \"" + PASSWORD + "\"}", Map.of());
        assertProblem(mistyped, 400, "INVALID_ARGUMENT");
        assertFalse(mistyped.body().contains(PASSWORD), mistyped.body());
        HttpResponse<String> unknownField = send("POST", "/api/v1/databases", "{\"project\": \"db-bad\", \"passwd\": \"x\"}", Map.of());
        assertProblem(unknownField, 400, "INVALID_ARGUMENT");

        assertProblem(send("POST", "/api/v1/databases", "{\"project\": \"no-such-project\"}", Map.of()), 404, "NOT_FOUND");
        assertProblem(send("POST", "/api/v1/databases", "{\"project\": \"Bad Name\"}", Map.of()), 404, "NOT_FOUND");
        assertEquals(404, send("HEAD", "/api/v1/databases/db-bad", null, Map.of()).statusCode(), "nothing was made");
        assertEquals(List.of(), parse(send("GET", "/api/v1/projects/db-bad", null, Map.of())).get("holds"));
        assertProblem(send("GET", "/api/v1/databases?state=sleepy", null, Map.of()), 400, "INVALID_ARGUMENT");
        assertNoPasswordLogged();
    }

    @Test
    void credentials_areForAdminsOnly_notCached_andEveryReadIsAudited_withoutThePassword() throws Exception {
        project("db-creds", ORG);
        database("db-creds");
        String requestId = "db-creds-" + UUID.randomUUID();
        HttpResponse<String> read = send("GET", "/api/v1/databases/db-creds/credentials", null, Map.of("X-Request-Id", requestId));
        assertEquals(200, read.statusCode(), read.body());
        Map<String, Object> credentials = parse(read);
        assertEquals(PASSWORD, credentials.get("password"));
        assertEquals("127.0.0.1", credentials.get("host"));
        assertEquals("db-creds", credentials.get("username"));
        assertTrue(((String) credentials.get("connectionUri")).startsWith("postgresql://db-creds:"), credentials.toString());
        assertEquals("no-store", read.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(List.of("200 db-acme"), audited(requestId));

        String denied = "db-creds-denied-" + UUID.randomUUID();
        HttpResponse<String> refused = sendRaw("GET", "/api/v1/databases/db-creds/credentials", null,
                Map.of("Authorization", "Bearer " + operator, "X-Request-Id", denied));
        assertProblem(refused, 403, "PERMISSION_DENIED");
        assertEquals(List.of("403 db-acme"), audited(denied), "a refused read of a secret is audited too");

        try (Connection c = database(); ResultSet rows = c.createStatement().executeQuery(
                "SELECT count(*) FROM gateway.audit_record WHERE CAST(audit_record.* AS text) LIKE '%" + PASSWORD + "%'")) {
            assertTrue(rows.next());
            assertEquals(0, rows.getInt(1), "no audit record holds the password");
        }
        assertNoPasswordLogged();
    }

    @Test
    void patch_changesOnlyWhatTheBodyGives() throws Exception {
        project("db-patch", ORG);
        database("db-patch");
        HttpResponse<String> schedule = send("PATCH", "/api/v1/databases/db-patch", "{\"backupSchedule\": \"@daily\"}", Map.of());
        assertEquals(200, schedule.statusCode(), schedule.body());
        assertEquals("@daily", parse(schedule).get("backupSchedule"));
        assertEquals(7, ((Number) parse(schedule).get("keepBackups")).intValue(), "not in the body: unchanged");
        HttpResponse<String> keep = send("PATCH", "/api/v1/databases/db-patch", "{\"keepBackups\": 2}", Map.of());
        assertEquals("@daily", parse(keep).get("backupSchedule"));
        assertEquals(2, ((Number) parse(keep).get("keepBackups")).intValue());

        HttpResponse<String> nothing = send("PATCH", "/api/v1/databases/db-patch", "{}", Map.of());
        assertProblem(nothing, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("backupSchedule"), errorFields(nothing));
        HttpResponse<String> badSchedule = send("PATCH", "/api/v1/databases/db-patch", "{\"backupSchedule\": \"now\"}", Map.of());
        assertProblem(badSchedule, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("backupSchedule"), errorFields(badSchedule));
        assertProblem(send("PATCH", "/api/v1/databases/db-patch", "{\"keepBackups\": 0}", Map.of()), 400, "INVALID_ARGUMENT");
        assertProblem(sendAs(viewer, "PATCH", "/api/v1/databases/db-patch", "{\"keepBackups\": 3}"), 403, "PERMISSION_DENIED");
    }

    @Test
    void backups_areTakenListedNewestFirst_andEndVerifiedOrFailed() throws Exception {
        project("db-bkp", ORG);
        database("db-bkp");
        HttpResponse<String> first = sendAs(operator, "POST", "/api/v1/databases/db-bkp/backups", null);
        assertEquals(201, first.statusCode(), first.body());
        Map<String, Object> dumping = parse(first);
        String id = (String) dumping.get("id");
        assertEquals("/api/v1/databases/db-bkp/backups/" + id, first.headers().firstValue("Location").orElseThrow());
        assertEquals("dumping", dumping.get("state"));
        assertEquals("on_demand", dumping.get("trigger"));
        assertProblem(send("POST", "/api/v1/databases/db-bkp/backups", null, Map.of()), 409, "FAILED_PRECONDITION");

        fake.databases().finishBackup(id, true, "");
        Map<String, Object> verified = parse(sendAs(viewer, "GET", "/api/v1/databases/db-bkp/backups/" + id, null));
        assertEquals("verified", verified.get("state"));
        assertEquals("PT2S", verified.get("duration"));
        assertEquals(42L, ((Number) verified.get("rowCount")).longValue());
        assertNotNull(parse(send("GET", "/api/v1/databases/db-bkp", null, Map.of())).get("lastBackupTime"));

        String second = (String) parse(send("POST", "/api/v1/databases/db-bkp/backups", null, Map.of())).get("id");
        fake.databases().finishBackup(second, false, "the dump is empty");
        List<Map<String, Object>> listed = items(parse(send("GET", "/api/v1/databases/db-bkp/backups", null, Map.of())));
        assertEquals(List.of(second, id), listed.stream().map(b -> b.get("id")).toList(), "newest first");
        assertEquals("failed", listed.get(0).get("state"));
        assertEquals("the dump is empty", listed.get(0).get("error"));
        Map<String, Object> paged = parse(send("GET", "/api/v1/databases/db-bkp/backups?limit=1", null, Map.of()));
        assertEquals(1, items(paged).size());
        assertEquals(List.of(id), items(parse(send("GET", "/api/v1/databases/db-bkp/backups?limit=1&pageToken="
                + paged.get("nextPageToken"), null, Map.of()))).stream().map(b -> b.get("id")).toList());

        assertProblem(send("GET", "/api/v1/databases/db-bkp/backups/bkp-999999", null, Map.of()), 404, "NOT_FOUND");
        project("db-bkp-other", ORG);
        database("db-bkp-other");
        assertProblem(send("GET", "/api/v1/databases/db-bkp-other/backups/" + id, null, Map.of()), 404, "NOT_FOUND");
        assertProblem(sendAs(viewer, "POST", "/api/v1/databases/db-bkp/backups", null), 403, "PERMISSION_DENIED");
    }

    @Test
    void restore_inPlaceNeedsConfirm_intoAnotherProjectOfTheCallers_notAnotherOrganizations() throws Exception {
        project("db-src", ORG);
        project("db-dst", ORG);
        project("db-theirs", OTHER);
        database("db-src");
        String backup = (String) parse(send("POST", "/api/v1/databases/db-src/backups", null, Map.of())).get("id");
        assertProblem(sendAs(operator, "POST", "/api/v1/databases/db-src/restore", "{\"backupId\": \"" + backup + "\","
                + " \"targetProject\": \"db-dst\"}"), 409, "FAILED_PRECONDITION");
        fake.databases().finishBackup(backup, true, "");

        HttpResponse<String> unconfirmed = sendAs(operator, "POST", "/api/v1/databases/db-src/restore",
                "{\"backupId\": \"" + backup + "\"}");
        assertProblem(unconfirmed, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("confirm"), errorFields(unconfirmed));
        HttpResponse<String> inPlace = sendAs(operator, "POST", "/api/v1/databases/db-src/restore",
                "{\"backupId\": \"" + backup + "\", \"confirm\": true}");
        assertEquals(200, inPlace.statusCode(), inPlace.body());
        assertEquals("db-src", AppApiTest.map(parse(inPlace).get("database")).get("project"));

        HttpResponse<String> copied = sendAs(operator, "POST", "/api/v1/databases/db-src/restore",
                "{\"backupId\": \"" + backup + "\", \"targetProject\": \"db-dst\"}");
        assertEquals(200, copied.statusCode(), copied.body());
        Map<String, Object> restored = parse(copied);
        assertEquals("db-dst", AppApiTest.map(restored.get("database")).get("project"));
        assertEquals(42L, ((Number) restored.get("rowCount")).longValue());
        assertEquals("PT1S", restored.get("duration"));
        assertEquals(200, send("HEAD", "/api/v1/databases/db-dst", null, Map.of()).statusCode());

        assertProblem(sendAs(operator, "POST", "/api/v1/databases/db-src/restore", "{\"backupId\": \"" + backup + "\","
                + " \"targetProject\": \"db-theirs\"}"), 404, "NOT_FOUND");
        assertEquals(404, send("HEAD", "/api/v1/databases/db-theirs", null, Map.of()).statusCode(), "nothing was made there");
        HttpResponse<String> noId = sendAs(operator, "POST", "/api/v1/databases/db-src/restore", "{\"confirm\": true}");
        assertProblem(noId, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("backupId"), errorFields(noId));
        assertProblem(sendAs(viewer, "POST", "/api/v1/databases/db-src/restore", "{\"backupId\": \"" + backup + "\","
                + " \"targetProject\": \"db-dst\"}"), 403, "PERMISSION_DENIED");
    }

    @Test
    void deleteDatabase_releasesTheProject_andKeepDataIsPassedOn() throws Exception {
        project("db-del", ORG);
        database("db-del");
        assertProblem(sendAs(viewer, "DELETE", "/api/v1/databases/db-del", null), 403, "PERMISSION_DENIED");
        assertEquals(204, sendAs(operator, "DELETE", "/api/v1/databases/db-del?keepData=true", null).statusCode());
        assertEquals(404, send("HEAD", "/api/v1/databases/db-del", null, Map.of()).statusCode());
        assertProblem(send("DELETE", "/api/v1/databases/db-del", null, Map.of()), 404, "NOT_FOUND");
        assertEquals(204, send("DELETE", "/api/v1/projects/db-del", null, Map.of()).statusCode(), "no hold is left");
    }

    @Test
    void deleteProject_withADatabase_is409_unlessForced_thenTheDatabaseGoesFirst() throws Exception {
        project("db-held", ORG);
        database("db-held");
        HttpResponse<String> refused = send("DELETE", "/api/v1/projects/db-held", null, Map.of());
        assertProblem(refused, 409, "FAILED_PRECONDITION");
        assertTrue(refused.body().contains("database"), refused.body());
        assertEquals(200, send("GET", "/api/v1/projects/db-held", null, Map.of()).statusCode(), "the project stays");
        assertEquals(200, send("HEAD", "/api/v1/databases/db-held", null, Map.of()).statusCode(), "and its database");

        assertEquals(204, send("DELETE", "/api/v1/projects/db-held?force=true", null, Map.of()).statusCode());
        assertEquals(404, send("GET", "/api/v1/projects/db-held", null, Map.of()).statusCode());
        assertEquals(404, send("HEAD", "/api/v1/databases/db-held", null, Map.of()).statusCode());
    }

    @Test
    void forcedOrganizationDelete_deletesEachProjectsDatabaseFirst() throws Exception {
        assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"db-doomed\"}", Map.of()).statusCode());
        project("db-doomed-a", "db-doomed");
        project("db-doomed-b", "db-doomed");
        project("db-doomed-c", "db-doomed");
        database("db-doomed-a");
        database("db-doomed-b");
        assertProblem(send("DELETE", "/api/v1/organizations/db-doomed", null, Map.of()), 409, "FAILED_PRECONDITION");
        assertEquals(200, send("HEAD", "/api/v1/databases/db-doomed-a", null, Map.of()).statusCode(), "a refusal deletes nothing");
        assertEquals(204, send("DELETE", "/api/v1/organizations/db-doomed?force=true", null, Map.of()).statusCode());
        for (String project : List.of("db-doomed-a", "db-doomed-b", "db-doomed-c")) {
            assertEquals(404, send("HEAD", "/api/v1/databases/" + project, null, Map.of()).statusCode(), project);
            assertEquals(404, send("GET", "/api/v1/projects/" + project, null, Map.of()).statusCode(), project);
        }
    }

    @Test
    void list_showsEachCallerItsOrganizationsDatabasesOnly() throws Exception {
        project("db-list-mine", ORG);
        project("db-list-theirs", OTHER);
        database("db-list-mine");
        database("db-list-theirs");
        List<Object> seen = items(parse(sendAs(viewer, "GET", "/api/v1/databases?limit=500", null))).stream()
                .map(d -> d.get("project")).toList();
        assertTrue(seen.contains("db-list-mine"), seen.toString());
        assertFalse(seen.contains("db-list-theirs"), seen.toString());
        List<Object> all = items(parse(send("GET", "/api/v1/databases?limit=500", null, Map.of()))).stream()
                .map(d -> d.get("project")).toList();
        assertTrue(all.containsAll(List.of("db-list-mine", "db-list-theirs")), all.toString());
        assertProblem(sendAs(viewer, "GET", "/api/v1/databases?project=db-list-theirs", null), 404, "NOT_FOUND");
        assertProblem(sendAs(viewer, "GET", "/api/v1/databases/db-list-theirs", null), 404, "NOT_FOUND");
        assertProblem(sendAs(viewer, "GET", "/api/v1/databases/db-list-theirs/backups", null), 404, "NOT_FOUND");
    }

    /** The outcome and target organization of the audit records of one request. */
    private List<String> audited(String requestId) throws Exception {
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, target_organization FROM gateway.audit_record WHERE request_id = ?")) {
            ps.setString(1, requestId);
            List<String> rows = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getInt(1) + " " + rs.getString(2));
                }
            }
            return rows;
        }
    }

    private void assertNoPasswordLogged() {
        assertFalse(logs.list.isEmpty(), "the logs are captured");
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            assertFalse(event.getFormattedMessage().contains(PASSWORD), "logged: " + event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                assertFalse(event.getThrowableProxy().getMessage() != null
                        && event.getThrowableProxy().getMessage().contains(PASSWORD), "logged: " + event.getThrowableProxy().getMessage());
            }
        }
    }
}
