package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every endpoint × every kind of caller → the status it must get; and every call that mutates
 * leaves exactly one audit record naming the caller and the outcome, while reads leave none.
 *
 * <p>The callers: no token; a viewer, an operator and an admin of organization {@code mx-acme};
 * an admin of another organization; a cluster-wide admin. Each cell gets a target of its own
 * (made with the bootstrap token) where the call would change something, so cells do not interfere.
 */
@MicronautTest(transactional = false)
class AuthorizationMatrixTest extends RestApiTest {
    enum Caller { NONE, VIEWER, OPERATOR, ADMIN, OTHER_ORG, CLUSTER_ADMIN }

    record Call(String method, String path, String body) {
    }

    /** One route; {@code expected} holds the status each caller gets. */
    record Row(String name, Function<Caller, Call> call, Map<Caller, Integer> expected) {
        /** The expected statuses given one per {@link Caller}, in the order the callers are declared. */
        Row(String name, Function<Caller, Call> call, int... expected) {
            this(name, call, byCaller(expected));
        }

        private static Map<Caller, Integer> byCaller(int... expected) {
            Caller[] callers = Caller.values();
            if (expected.length != callers.length) {
                throw new IllegalArgumentException("one status per caller: " + expected.length + " for " + callers.length);
            }
            Map<Caller, Integer> byCaller = new EnumMap<>(Caller.class);
            for (int i = 0; i < callers.length; i++) {
                byCaller.put(callers[i], expected[i]);
            }
            return Map.copyOf(byCaller);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String ORG = "mx-acme";
    static final String OTHER = "mx-other";
    static final String NODE = "mx-node";
    static final String PROJECT = "mx-acme-web";
    static final String APP = "mx-app";
    static final String DB_PROJECT = "mx-acme-db";
    static final String THEIR_PROJECT = "mx-other-web";
    private static final AtomicInteger FRESH = new AtomicInteger();
    private static AuthorizationMatrixTest self;

    private final Map<Caller, String> secrets = new EnumMap<>(Caller.class);
    private final Map<Caller, String> tokenIds = new EnumMap<>(Caller.class);
    private String deploymentId;
    private String backupId;
    private String routeId;

    @BeforeAll
    void fixtures() throws Exception {
        self = this;
        admin("POST", "/api/v1/organizations", "{\"name\": \"" + ORG + "\"}");
        admin("POST", "/api/v1/organizations", "{\"name\": \"" + OTHER + "\"}");
        admin("POST", "/api/v1/organizations/" + ORG + "/projects", "{\"name\": \"" + PROJECT + "\"}");
        admin("POST", "/api/v1/nodes", nodeBody(NODE));
        deploymentId = (String) ((Map<?, ?>) parse(admin("POST", "/api/v1/apps", appBody(APP))).get("deployment")).get("id");
        admin("POST", "/api/v1/organizations/" + ORG + "/projects", "{\"name\": \"" + DB_PROJECT + "\"}");
        admin("POST", "/api/v1/organizations/" + OTHER + "/projects", "{\"name\": \"" + THEIR_PROJECT + "\"}");
        admin("POST", "/api/v1/databases", "{\"project\": \"" + DB_PROJECT + "\"}");
        backupId = verifiedBackup(DB_PROJECT);
        routeId = routeOf(APP);
        token(Caller.VIEWER, "viewer", ORG);
        token(Caller.OPERATOR, "operator", ORG);
        token(Caller.ADMIN, "admin", ORG);
        token(Caller.OTHER_ORG, "admin", OTHER);
        token(Caller.CLUSTER_ADMIN, "admin", null);
    }

    static Stream<Row> rows() {
        int ok = 200;
        int created = 201;
        int none = 204;
        List<Row> rows = new ArrayList<>();
        // reads of the fleet: every token
        for (String path : List.of("/api/v1/nodes", "/api/v1/nodes/stats", "/api/v1/nodes/" + NODE,
                "/api/v1/nodes/" + NODE + "/events", "/api/v1/nodes/" + NODE + "/independence",
                "/api/v1/organizations", "/api/v1/tokens/current", "/api/v1/status", "/api/v1/overview",
                "/api/v1/cluster/leader", "/api/v1/cluster/status", "/api/v1/infrastructure", "/api/v1/infrastructure?type=node")) {
            rows.add(new Row("GET " + path, c -> new Call("GET", path, null), 401, ok, ok, ok, ok, ok));
        }
        // reads of one organization's things: its tokens, and cluster-wide ones
        for (String path : List.of("/api/v1/organizations/" + ORG, "/api/v1/organizations/" + ORG + "/projects",
                "/api/v1/projects/" + PROJECT)) {
            rows.add(new Row("GET " + path, c -> new Call("GET", path, null), 401, ok, ok, ok, 404, ok));
        }
        // reads of one organization's apps: its tokens, and cluster-wide ones
        for (String path : List.of("/api/v1/apps/" + APP, "/api/v1/apps/" + APP + "/instances", "/api/v1/apps/" + APP + "/deployments",
                "/api/v1/apps/" + APP + "/logs", "/api/v1/apps/" + APP + "/requests", "/api/v1/deployments?app=" + APP, "/api/v1/deployments/stats?app=" + APP,
                "/api/v1/apps?project=" + PROJECT, "/api/v1/deployments?project=" + PROJECT)) {
            rows.add(new Row("GET " + path, c -> new Call("GET", path, null), 401, ok, ok, ok, 404, ok));
        }
        rows.add(new Row("GET /api/v1/deployments/{id}", c -> new Call("GET", "/api/v1/deployments/" + self.deploymentId, null),
                401, ok, ok, ok, 404, ok));
        // lists across apps show each caller what it may see (another organization: none of mx-acme's)
        for (String path : List.of("/api/v1/apps", "/api/v1/deployments", "/api/v1/deployments/stats")) {
            rows.add(new Row("GET " + path, c -> new Call("GET", path, null), 401, ok, ok, ok, ok, ok));
        }
        // reads of one organization's databases: its tokens, and cluster-wide ones; credentials: admins only
        for (String path : List.of("/api/v1/databases/" + DB_PROJECT, "/api/v1/databases?project=" + DB_PROJECT,
                "/api/v1/databases/" + DB_PROJECT + "/backups")) {
            rows.add(new Row("GET " + path, c -> new Call("GET", path, null), 401, ok, ok, ok, 404, ok));
        }
        rows.add(new Row("GET /api/v1/databases/{project}/backups/{id}", c -> new Call("GET", "/api/v1/databases/" + DB_PROJECT
                + "/backups/" + self.backupId, null), 401, ok, ok, ok, 404, ok));
        rows.add(new Row("HEAD /api/v1/databases/{project}", c -> new Call("HEAD", "/api/v1/databases/" + DB_PROJECT, null),
                401, ok, ok, ok, 404, ok));
        rows.add(new Row("GET /api/v1/databases", c -> new Call("GET", "/api/v1/databases", null), 401, ok, ok, ok, ok, ok));
        rows.add(new Row("GET /api/v1/databases/{project}/credentials", c -> new Call("GET", "/api/v1/databases/" + DB_PROJECT
                + "/credentials", null), 401, 403, 403, ok, 404, ok));
        // routes belong to their app's project; the proxy's status is for every token, its config and history name
        // every organization's routes: cluster-wide admins only
        for (String path : List.of("/api/v1/routes?app=" + APP, "/api/v1/routes?project=" + PROJECT)) {
            rows.add(new Row("GET " + path, c -> new Call("GET", path, null), 401, ok, ok, ok, 404, ok));
        }
        rows.add(new Row("GET /api/v1/routes/{id}", c -> new Call("GET", "/api/v1/routes/" + self.routeId, null),
                401, ok, ok, ok, 404, ok));
        rows.add(new Row("GET /api/v1/routes", c -> new Call("GET", "/api/v1/routes", null), 401, ok, ok, ok, ok, ok));
        rows.add(new Row("GET /api/v1/proxy/status", c -> new Call("GET", "/api/v1/proxy/status", null), 401, ok, ok, ok, ok, ok));
        for (String path : List.of("/api/v1/proxy/config", "/api/v1/proxy/revisions", "/api/v1/proxy/revisions?outcome=applied")) {
            rows.add(new Row("GET " + path, c -> new Call("GET", path, null), 401, 403, 403, 403, 403, ok));
        }
        rows.add(new Row("GET /api/v1/tokens", c -> new Call("GET", "/api/v1/tokens", null), 401, 403, 403, ok, ok, ok));
        rows.add(new Row("GET /api/v1/tokens/{viewer}", c -> new Call("GET", "/api/v1/tokens/" + self.tokenIds.get(Caller.VIEWER), null),
                401, 403, 403, ok, 404, ok));
        rows.add(new Row("GET /api/v1/logs", c -> new Call("GET", "/api/v1/logs", null), 401, 403, 403, ok, ok, ok));
        // management endpoints show the whole cluster: cluster-wide tokens only; the others are off
        rows.add(new Row("GET /prometheus", c -> new Call("GET", "/prometheus", null), 401, 403, 403, 403, 403, ok));
        rows.add(new Row("POST /refresh", c -> new Call("POST", "/refresh", "{}"), 401, 403, 403, 403, 403, 404));
        rows.add(new Row("GET /threaddump", c -> new Call("GET", "/threaddump", null), 401, 403, 403, 403, 403, 404));

        // the fleet changes: cluster-wide admins only
        rows.add(new Row("POST /api/v1/nodes", c -> new Call("POST", "/api/v1/nodes", nodeBody(fresh())), 401, 403, 403, 403, 403, created));
        rows.add(new Row("PATCH /api/v1/nodes/{node}", c -> new Call("PATCH", "/api/v1/nodes/" + freshNode(),
                "{\"version\": 1, \"region\": \"eu-south\"}"), 401, 403, 403, 403, 403, ok));
        rows.add(new Row("DELETE /api/v1/nodes/{node}", c -> new Call("DELETE", "/api/v1/nodes/" + freshNode(), null),
                401, 403, 403, 403, 403, none));
        for (String action : List.of("cordon", "uncordon", "drain", "heartbeat")) {
            rows.add(new Row("POST /api/v1/nodes/{node}/" + action, c -> new Call("POST", "/api/v1/nodes/" + freshNode() + "/" + action, "{}"),
                    401, 403, 403, 403, 403, ok));
        }
        rows.add(new Row("PUT /api/v1/nodes/{node}/independence", c -> new Call("PUT", "/api/v1/nodes/" + freshNode() + "/independence",
                "{\"independent\": true}"), 401, 403, 403, 403, 403, ok));

        rows.add(new Row("POST /api/v1/infrastructure/node/{id}/start", c -> new Call("POST", "/api/v1/infrastructure/node/"
                + freshNode() + "/start", null), 401, 403, 403, 403, 403, none));
        rows.add(new Row("POST /api/v1/infrastructure/node/{id}/stop", c -> new Call("POST", "/api/v1/infrastructure/node/"
                + freshNode() + "/stop", null), 401, 403, 403, 403, 403, none));
        rows.add(new Row("DELETE /api/v1/infrastructure/node/{id}", c -> new Call("DELETE", "/api/v1/infrastructure/node/"
                + freshNode(), null), 401, 403, 403, 403, 403, none));
        rows.add(new Row("POST /api/v1/infrastructure/app/{id}/stop", c -> new Call("POST", "/api/v1/infrastructure/app/shop/stop", null),
                401, 403, 501, 501, 501, 501));

        // apps: operators and admins of the organization, and cluster-wide tokens
        rows.add(new Row("POST /api/v1/apps", c -> new Call("POST", "/api/v1/apps", appBody(fresh())), 401, 403, created, created, 404, created));
        rows.add(new Row("PUT /api/v1/apps/{app}", c -> {
            String app = freshApp();
            return new Call("PUT", "/api/v1/apps/" + app, "{\"version\": " + self.appVersion(app)
                    + ", \"spec\": {\"process\": {\"command\": \"sleep\", \"args\": [\"60\"]}, \"replicas\": 1}}");
        }, 401, 403, ok, ok, 404, ok));
        rows.add(new Row("PATCH /api/v1/apps/{app}", c -> {
            String app = freshApp();
            return new Call("PATCH", "/api/v1/apps/" + app, "{\"version\": " + self.appVersion(app) + ", \"labels\": {\"cell\": \"x\"}}");
        }, 401, 403, ok, ok, 404, ok));
        rows.add(new Row("DELETE /api/v1/apps/{app}", c -> new Call("DELETE", "/api/v1/apps/" + freshApp(), null),
                401, 403, none, none, 404, none));
        for (String action : List.of("start", "stop", "restart")) {
            rows.add(new Row("POST /api/v1/apps/{app}/" + action, c -> new Call("POST", "/api/v1/apps/" + freshApp() + "/" + action, null),
                    401, 403, ok, ok, 404, ok));
        }
        rows.add(new Row("POST /api/v1/apps/{app}/scale", c -> new Call("POST", "/api/v1/apps/" + freshApp() + "/scale",
                "{\"replicas\": 2, \"reason\": \"matrix\"}"), 401, 403, ok, ok, 404, ok));
        rows.add(new Row("POST /api/v1/apps/{app}/rollback", c -> {
            String app = freshApp();
            self.newRevision(app);
            return new Call("POST", "/api/v1/apps/" + app + "/rollback", "{}");
        }, 401, 403, ok, ok, 404, ok));
        rows.add(new Row("DELETE /api/v1/apps/{app}/instances/{id}", c -> {
            String app = freshApp();
            return new Call("DELETE", "/api/v1/apps/" + app + "/instances/" + self.firstInstance(app), null);
        }, 401, 403, none, none, 404, none));

        // databases: operators and admins of the organization, and cluster-wide tokens
        rows.add(new Row("POST /api/v1/databases", c -> new Call("POST", "/api/v1/databases", "{\"project\": \"" + freshProject()
                + "\", \"password\": \"matrix-pw\"}"), 401, 403, created, created, 404, created));
        rows.add(new Row("PATCH /api/v1/databases/{project}", c -> new Call("PATCH", "/api/v1/databases/" + freshDatabase(),
                "{\"keepBackups\": 3}"), 401, 403, ok, ok, 404, ok));
        rows.add(new Row("DELETE /api/v1/databases/{project}", c -> new Call("DELETE", "/api/v1/databases/" + freshDatabase()
                + "?keepData=true", null), 401, 403, none, none, 404, none));
        rows.add(new Row("POST /api/v1/databases/{project}/backups", c -> new Call("POST", "/api/v1/databases/" + freshDatabase()
                + "/backups", null), 401, 403, created, created, 404, created));
        rows.add(new Row("POST /api/v1/databases/{project}/restore", c -> {
            String source = freshDatabase();
            return new Call("POST", "/api/v1/databases/" + source + "/restore", "{\"backupId\": \"" + self.verifiedBackup(source)
                    + "\", \"targetProject\": \"" + freshProject() + "\"}");
        }, 401, 403, ok, ok, 404, ok));
        // a restore needs the caller on both projects: into another organization's, only cluster-wide tokens
        rows.add(new Row("POST /api/v1/databases/{project}/restore into another organization", c -> {
            String source = freshDatabase();
            return new Call("POST", "/api/v1/databases/" + source + "/restore", "{\"backupId\": \"" + self.verifiedBackup(source)
                    + "\", \"targetProject\": \"" + THEIR_PROJECT + "\"}");
        }, 401, 404, 404, 404, 404, ok));

        // routes: operators and admins of the app's organization, and cluster-wide tokens; a reload: cluster-wide admins
        rows.add(new Row("POST /api/v1/routes", c -> new Call("POST", "/api/v1/routes", routeBody(APP, fresh(), null)),
                401, 403, created, created, 404, created));
        rows.add(new Row("PUT /api/v1/routes/{id}", c -> new Call("PUT", "/api/v1/routes/" + routeOf(APP), routeBody(APP, fresh(), 1L)),
                401, 403, ok, ok, 404, ok));
        rows.add(new Row("DELETE /api/v1/routes/{id}", c -> new Call("DELETE", "/api/v1/routes/" + routeOf(APP), null),
                401, 403, none, none, 404, none));
        rows.add(new Row("POST /api/v1/proxy/reload", c -> new Call("POST", "/api/v1/proxy/reload", "{\"reason\": \"matrix\"}"),
                401, 403, 403, 403, 403, ok));

        // organizations and projects
        rows.add(new Row("POST /api/v1/organizations", c -> new Call("POST", "/api/v1/organizations", "{\"name\": \"" + fresh() + "\"}"),
                401, 403, 403, 403, 403, created));
        rows.add(new Row("PATCH /api/v1/organizations/{org}", c -> new Call("PATCH", "/api/v1/organizations/" + ORG,
                "{\"version\": " + self.orgVersion() + ", \"labels\": {\"cell\": \"" + c.name().toLowerCase(Locale.ROOT) + "\"}}"),
                401, 403, 403, ok, 404, ok));
        rows.add(new Row("DELETE /api/v1/organizations/{org}", c -> new Call("DELETE", "/api/v1/organizations/"
                + (c == Caller.CLUSTER_ADMIN ? freshOrganization() : ORG), null), 401, 403, 403, 403, 404, none));
        rows.add(new Row("POST /api/v1/organizations/{org}/projects", c -> new Call("POST", "/api/v1/organizations/" + ORG + "/projects",
                "{\"name\": \"" + fresh() + "\"}"), 401, 403, 403, created, 404, created));
        rows.add(new Row("DELETE /api/v1/projects/{project}", c -> new Call("DELETE", "/api/v1/projects/" + freshProject(), null),
                401, 403, 403, none, 404, none));
        rows.add(new Row("DELETE /api/v1/projects/{project} with a database", c -> new Call("DELETE", "/api/v1/projects/"
                + freshDatabase(), null), 401, 403, 403, 409, 404, 409));
        rows.add(new Row("DELETE /api/v1/projects/{project}?force=true with a database", c -> new Call("DELETE", "/api/v1/projects/"
                + freshDatabase() + "?force=true", null), 401, 403, 403, none, 404, none));

        // tokens
        rows.add(new Row("POST /api/v1/tokens", c -> new Call("POST", "/api/v1/tokens", "{\"name\": \"ci\", \"role\": \"viewer\"}"),
                401, 403, 403, created, created, created));
        rows.add(new Row("POST /api/v1/tokens in mx-acme", c -> new Call("POST", "/api/v1/tokens",
                "{\"name\": \"ci\", \"role\": \"admin\", \"organization\": \"" + ORG + "\"}"), 401, 403, 403, created, 404, created));
        rows.add(new Row("DELETE /api/v1/tokens/{id}", c -> new Call("DELETE", "/api/v1/tokens/" + self.freshToken(), null),
                401, 403, 403, none, 404, none));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyCaller_getsTheStatusItsRoleAllows_andMutationsAreAuditedOnce(Row row) throws Exception {
        List<Executable> checks = new ArrayList<>();
        for (Caller caller : Caller.values()) {
            Call call = row.call().apply(caller);
            String requestId = "mx-" + UUID.randomUUID();
            Map<String, String> headers = secrets.containsKey(caller)
                    ? Map.of("Authorization", "Bearer " + secrets.get(caller), "X-Request-Id", requestId)
                    : Map.of("X-Request-Id", requestId);
            HttpResponse<String> response = sendRaw(call.method(), call.path(), call.body(), headers);
            int expected = row.expected().get(caller);
            checks.add(() -> assertEquals(expected, response.statusCode(), caller + " " + call + ": " + response.headers().map() + response.body()));
            if (response.statusCode() >= 400) {
                checks.add(() -> assertEquals(PROBLEM, response.headers().firstValue("Content-Type").orElse("").split(";", -1)[0]));
            }
            List<Object[]> audited = audited(requestId);
            // reads are not audited, except those that hand out a secret
            boolean read = (call.method().equals("GET") || call.method().equals("HEAD")) && !call.path().endsWith("/credentials");
            if (read) {
                checks.add(() -> assertEquals(0, audited.size(), "a read is not audited: " + call));
            } else if (response.statusCode() == 401) {
                checks.add(() -> assertEquals(0, audited.size(), "a request without a valid token is only logged: " + call));
            } else {
                checks.add(() -> assertEquals(1, audited.size(), "one audit record for " + caller + " " + call));
                if (audited.size() == 1) {
                    checks.add(() -> assertEquals(response.statusCode(), audited.get(0)[1], "audited outcome of " + call));
                    checks.add(() -> assertEquals(tokenIds.get(caller), audited.get(0)[0], "audited actor of " + call));
                }
            }
        }
        assertAll(row.name(), checks);
    }

    @org.junit.jupiter.api.Test
    void anotherOrganizationsAdmin_seesNoneOfItsTokensRecordsOrOrganization() throws Exception {
        for (String path : List.of("/api/v1/organizations", "/api/v1/tokens")) {
            HttpResponse<String> response = sendAs(secrets.get(Caller.OTHER_ORG), "GET", path, null);
            assertEquals(200, response.statusCode(), path);
            assertEquals(false, response.body().contains(ORG), path + " shows nothing of " + ORG + ": " + response.body());
        }
        // the audit log shows what its own tokens did (their attempts on mx-acme's paths included) and what was done to it
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> records = (List<Map<String, Object>>) parse(
                sendAs(secrets.get(Caller.OTHER_ORG), "GET", "/api/v1/logs?limit=1000", null)).get("items");
        assertEquals(false, records.isEmpty());
        assertEquals(true, records.stream().allMatch(r -> OTHER.equals(r.get("organization")) || OTHER.equals(r.get("targetOrganization"))),
                "only what its tokens did or what was done to it: " + records);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> recent = (List<Map<String, Object>>) parse(
                sendAs(secrets.get(Caller.OTHER_ORG), "GET", "/api/v1/overview", null)).get("recentActions");
        assertEquals(true, recent.stream().allMatch(r -> OTHER.equals(r.get("organization")) || OTHER.equals(r.get("targetOrganization"))),
                recent.toString());
        HttpResponse<String> own = sendAs(secrets.get(Caller.ADMIN), "GET", "/api/v1/tokens", null);
        assertEquals(true, own.body().contains(tokenIds.get(Caller.VIEWER)), "an organization's admin sees its tokens");
    }

    private List<Object[]> audited(String requestId) throws Exception {
        try (Connection c = database();
             PreparedStatement ps = c.prepareStatement("SELECT actor, status FROM gateway.audit_record WHERE request_id = ?")) {
            ps.setString(1, requestId);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[]{rs.getString(1), rs.getObject(2)});
                }
            }
            return rows;
        }
    }

    private void token(Caller caller, String role, String organization) throws Exception {
        Map<String, Object> created = parse(admin("POST", "/api/v1/tokens", organization == null
                ? "{\"name\": \"" + caller + "\", \"role\": \"" + role + "\"}"
                : "{\"name\": \"" + caller + "\", \"role\": \"" + role + "\", \"organization\": \"" + organization + "\"}"));
        secrets.put(caller, (String) created.get("secret"));
        tokenIds.put(caller, (String) created.get("id"));
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body, Map.of());
        assertEquals(true, response.statusCode() < 300, method + " " + path + ": " + response.body());
        return response;
    }

    private long orgVersion() {
        try {
            return ((Number) parse(admin("GET", "/api/v1/organizations/" + ORG, null)).get("version")).longValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String freshToken() {
        try {
            return (String) parse(admin("POST", "/api/v1/tokens",
                    "{\"name\": \"victim\", \"role\": \"viewer\", \"organization\": \"" + ORG + "\"}")).get("id");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fresh() {
        return "mx-" + FRESH.incrementAndGet();
    }

    private static String freshNode() {
        return self.made("POST", "/api/v1/nodes", name -> nodeBody(name));
    }

    private static String freshOrganization() {
        return self.made("POST", "/api/v1/organizations", name -> "{\"name\": \"" + name + "\"}");
    }

    private static String freshProject() {
        return self.made("POST", "/api/v1/organizations/" + ORG + "/projects", name -> "{\"name\": \"" + name + "\"}");
    }

    private String made(String method, String path, Function<String, String> body) {
        String name = fresh();
        try {
            admin(method, path, body.apply(name));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    /** A fresh project of mx-acme with a database. */
    private static String freshDatabase() {
        String project = freshProject();
        try {
            self.admin("POST", "/api/v1/databases", "{\"project\": \"" + project + "\"}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return project;
    }

    /** A backup of the project's database, verified (the fake provisioner ends it at once). */
    private String verifiedBackup(String project) {
        try {
            String id = (String) parse(admin("POST", "/api/v1/databases/" + project + "/backups", null)).get("id");
            io.orchestry.gateway.fake.FakeProvisioner.shared().databases().finishBackup(id, true, "");
            return id;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String freshApp() {
        return self.made("POST", "/api/v1/apps", AuthorizationMatrixTest::appBody);
    }

    private long appVersion(String app) {
        try {
            return ((Number) parse(admin("GET", "/api/v1/apps/" + app, null)).get("version")).longValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A second revision, so that there is one to roll back to. */
    private void newRevision(String app) {
        try {
            admin("PATCH", "/api/v1/apps/" + app, "{\"version\": " + appVersion(app) + ", \"spec\": {\"env\": {\"V\": \"2\"}}}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private String firstInstance(String app) {
        try {
            List<Map<String, Object>> items = (List<Map<String, Object>>) parse(admin("GET", "/api/v1/apps/" + app + "/instances", null))
                    .get("items");
            return (String) items.get(0).get("id");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh route to {@code app}, made with the bootstrap token. */
    private static String routeOf(String app) {
        try {
            return (String) ((Map<?, ?>) self.parse(self.admin("POST", "/api/v1/routes", routeBody(app, fresh(), null))).get("route"))
                    .get("id");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String routeBody(String app, String host, Long version) {
        return "{\"app\": \"" + app + "\", \"hosts\": [\"" + host + ".example.com\"]" + (version == null ? "" : ", \"version\": " + version)
                + "}";
    }

    private static String appBody(String name) {
        return """
                {"name": "%s", "project": "%s",
                 "spec": {"process": {"command": "sleep", "args": ["3600"]}, "replicas": 1}}""".formatted(name, PROJECT);
    }

    private static String nodeBody(String name) {
        return """
                {"name": "%s", "driverKind": "process", "region": "eu-west",
                 "capacity": {"cpuMillis": 2000, "memoryBytes": 4294967296}}""".formatted(name);
    }
}
