package io.orchestry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "done when", through REST only, as a user of dev mode, on the process driver (node {@code local}) and on
 * the Docker driver (node {@code docker}, when an engine answers and the image is built; required under CI=true):
 * create a project's database, connect with {@code psql} using the credentials endpoint, write rows, kill its server
 * and see it started again with the rows, back it up, see
 * the backup verified, restore it into a second project and read the same rows there, delete both and find nothing
 * left (no server process or container, no volume, no data folder, nothing listening on their ports).
 */
class DatabasesEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path PSQL = Path.of("/usr/bin/psql");

    private static DevModeIT.Launched stack;
    private static Rest rest;
    private static AppsApi api;
    private static Path dataDir;

    @BeforeAll
    static void startDevMode() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PSQL) || !"true".equalsIgnoreCase(System.getenv("CI")),
                "psql is at " + PSQL);
        // containers and volumes outlive a stack: an earlier run that was killed may have left this test's
        if (AppsApi.dockerAnswers()) {
            for (String project : List.of("shop-dock", "copy-dock")) {
                run("docker", "rm", "-f", "orchestry-db-" + project);
                run("docker", "volume", "rm", "-f", "orchestry-db-" + project);
            }
        }
        int offset = PortOffsets.findFree(ServiceKind.values());
        dataDir = Files.createTempDirectory("orchestry-db-e2e");
        stack = DevModeIT.launch(offset, java.util.Map.of(), "--data-dir", dataDir.toString());
        String gateway = "http://127.0.0.1:" + ServiceKind.GATEWAY.httpPort(offset);
        rest = new Rest(gateway, stack.printedToken());
        api = new AppsApi(rest, gateway, WAIT);
        rest.expect(201, "POST", "/api/v1/organizations", "{\"name\":\"dbe2e\"}");
        for (String project : List.of("shop-proc", "copy-proc", "shop-dock", "copy-dock")) {
            rest.expect(201, "POST", "/api/v1/organizations/dbe2e/projects", "{\"name\":\"" + project + "\"}");
        }
    }

    @AfterAll
    static void stopDevMode() {
        if (stack != null) {
            stack.kill();
        }
        if (dataDir != null) {
            StateFolder.deleteTree(dataDir);
        }
    }

    @Test
    void processDatabase_createConnectBackUpVerifyRestoreElsewhereDelete() throws Exception {
        api.awaitNode("local", "ready");
        lifecycle("shop-proc", "copy-proc", "local");
        try (var data = Files.list(dataDir.resolve("process"))) {
            List<Path> left = data.flatMap(node -> {
                try {
                    return Files.exists(node.resolve("databases")) ? Files.list(node.resolve("databases")) : java.util.stream.Stream.empty();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(p -> p.getFileName().toString().contains("shop-proc") || p.getFileName().toString().contains("copy-proc"))
                    .toList();
            assertEquals(List.of(), left, "no data folder left");
        }
    }

    @Test
    void dockerDatabase_createConnectBackUpVerifyRestoreElsewhereDelete() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean image = AppsApi.dockerAnswers() && run("docker", "image", "inspect", "orchestry/postgres:15").exit == 0;
        if (!image) {
            String why = "no Docker Engine answers or the image orchestry/postgres:15 is missing (deploy/images/build postgres)";
            if (ci) {
                throw new AssertionError(why + " (CI=true: failing instead of skipping)");
            }
            Assumptions.assumeTrue(false, why + ": skipped");
        }
        api.awaitNode("docker", "ready");
        lifecycle("shop-dock", "copy-dock", "docker");
        for (String project : List.of("shop-dock", "copy-dock")) {
            assertEquals("", run("docker", "ps", "-aq", "--filter", "name=orchestry-db-" + project).out.trim(),
                    "no container left");
            assertEquals("", run("docker", "volume", "ls", "-q", "--filter", "name=orchestry-db-" + project).out.trim(),
                    "no volume left");
        }
    }

    private void lifecycle(String project, String copy, String node) throws Exception {
        JsonNode created = rest.json(201, "POST", "/api/v1/databases",
                "{\"project\":\"" + project + "\",\"nodeName\":\"" + node + "\",\"memoryBytes\":268435456}");
        assertEquals("creating", created.path("state").asText(), created.toString());
        assertFalse(created.toString().contains("password"), "no password in a database: " + created);
        JsonNode ready = awaitState(project, "ready");
        assertEquals(node, ready.path("nodeName").asText());

        JsonNode credentials = rest.json(200, "GET", "/api/v1/databases/" + project + "/credentials", null);
        String uri = credentials.path("connectionUri").asText();
        assertTrue(uri.startsWith("postgresql://"), credentials.toString());
        psql(uri, "CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL);"
                + " INSERT INTO orders (item) SELECT 'item-' || g FROM generate_series(1, 500) g;"
                + " CREATE SCHEMA audit; CREATE TABLE audit.\"Events\" (at timestamptz DEFAULT now());"
                + " INSERT INTO audit.\"Events\" DEFAULT VALUES;");
        assertEquals("500", psql(uri, "SELECT count(*) FROM orders").trim());

        // the server dies behind Orchestry's back: it is started again on its data
        if (node.equals("docker")) {
            assertEquals(0, run("docker", "kill", "orchestry-db-" + project).exit);
        } else {
            Result pids = run("pgrep", "-f", "orchestry-db-" + project + "/data");
            assertEquals(0, pids.exit, "the server's postmaster runs: " + pids.out);
            for (String pid : pids.out.trim().split("\\s+")) {
                run("kill", "-9", pid);
            }
        }
        api.await("the server of " + project + " started again", () ->
                rest.json(200, "GET", "/api/v1/databases/" + project, null).path("restarts").asInt() >= 1);
        api.await("the rows answer again", () -> run(PSQL.toString(), "-X", "-A", "-t", uri, "-c",
                "SELECT count(*) FROM orders").out.trim().equals("500"));

        JsonNode backup = rest.json(201, "POST", "/api/v1/databases/" + project + "/backups", null);
        String id = backup.path("id").asText();
        JsonNode[] verified = new JsonNode[1];
        api.await("backup " + id + " verified", () -> {
            verified[0] = rest.json(200, "GET", "/api/v1/databases/" + project + "/backups/" + id, null);
            String state = verified[0].path("state").asText();
            assertFalse(state.equals("failed"), "the backup failed: " + verified[0]);
            return state.equals("verified");
        });
        assertEquals(2, verified[0].path("tableCount").asInt(), verified[0].toString());
        assertEquals(501, verified[0].path("rowCount").asLong(), verified[0].toString());
        assertTrue(verified[0].path("sizeBytes").asLong() > 0, verified[0].toString());
        JsonNode list = rest.json(200, "GET", "/api/v1/databases/" + project + "/backups", null);
        assertEquals(id, list.path("items").get(0).path("id").asText(), list.toString());

        rest.expect(400, "POST", "/api/v1/databases/" + project + "/restore", "{\"backupId\":\"" + id + "\"}");
        JsonNode restored = rest.json(200, "POST", "/api/v1/databases/" + project + "/restore",
                "{\"backupId\":\"" + id + "\",\"targetProject\":\"" + copy + "\"}");
        assertEquals(501, restored.path("rowCount").asLong(), restored.toString());
        String copyUri = rest.json(200, "GET", "/api/v1/databases/" + copy + "/credentials", null)
                .path("connectionUri").asText();
        assertEquals("500|item-250", psql(copyUri, "SELECT count(*) || '|' || max(item) FILTER (WHERE id = 250) FROM orders").trim());
        assertEquals("1", psql(copyUri, "SELECT count(*) FROM audit.\"Events\"").trim());

        int port = ready.path("port").asInt();
        int copyPort = rest.json(200, "GET", "/api/v1/databases/" + copy, null).path("port").asInt();
        for (String p : List.of(project, copy)) {
            rest.expect(204, "DELETE", "/api/v1/databases/" + p, null);
        }
        for (String p : List.of(project, copy)) {
            api.await("the database of " + p + " gone", () -> rest.status("GET", "/api/v1/databases/" + p) == 404);
        }
        for (int p : List.of(port, copyPort)) {
            try (java.net.ServerSocket free = new java.net.ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                assertTrue(free.isBound(), "nothing listens on " + p);
            }
        }
        assertEquals(0, run("pgrep", "-f", "orchestry-db-" + project + "/").exit == 0 ? 1 : 0, "no server process left");
    }

    private JsonNode awaitState(String project, String state) throws Exception {
        JsonNode[] last = new JsonNode[1];
        api.await("the database of " + project + " " + state, () -> {
            last[0] = rest.json(200, "GET", "/api/v1/databases/" + project, null);
            assertFalse(last[0].path("state").asText().equals("failed"), "FAILED: " + last[0]);
            return last[0].path("state").asText().equals(state);
        });
        return last[0];
    }

    private static String psql(String uri, String sql) throws Exception {
        Result r = run(PSQL.toString(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", uri, "-c", sql);
        assertEquals(0, r.exit, "psql " + sql + ": " + r.out);
        return r.out;
    }

    private record Result(int exit, String out) {
    }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
