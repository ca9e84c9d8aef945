package io.orchestry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The apps API as the end-to-end tests use it (through REST only), and what the machine shows of an app's replicas
 * (processes by their {@code ORCHESTRY_APP} environment, containers by label). Waits are bounded polls.
 */
final class AppsApi {
    private final Rest rest;
    private final String gateway;
    private final Duration wait;

    AppsApi(Rest rest, String gateway, Duration wait) {
        this.rest = rest;
        this.gateway = gateway;
        this.wait = wait;
    }

    Rest rest() {
        return rest;
    }

    // ---- REST views ------------------------------------------------------------------------------------------------

    JsonNode app(String app) throws Exception {
        return rest.json(200, "GET", "/api/v1/apps/" + app, null);
    }

    List<JsonNode> instances(String app) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        rest.json(200, "GET", "/api/v1/apps/" + app + "/instances?limit=500", null).path("items").forEach(list::add);
        return list;
    }

    JsonNode latestDeployment(String app) throws Exception {
        return rest.json(200, "GET", "/api/v1/apps/" + app + "/deployments?limit=1", null).path("items").path(0);
    }

    int readyReplicas(String app) throws Exception {
        return app(app).path("status").path("readyReplicas").asInt();
    }

    static int healthy(List<JsonNode> instances) {
        return (int) instances.stream().filter(i -> "healthy".equals(i.path("health").asText())
                && "running".equals(i.path("state").asText())).count();
    }

    boolean allRun(String app, long revision, int count) throws Exception {
        List<JsonNode> now = instances(app);
        return now.size() == count && healthy(now) == count && now.stream().allMatch(i -> i.path("revision").asLong() == revision);
    }

    void awaitReady(String app, int replicas) throws Exception {
        await(app + " to have " + replicas + " healthy replicas", () -> {
            List<JsonNode> now = instances(app);
            return now.size() == replicas && healthy(now) == replicas;
        });
    }

    void update(String app, ThrowingConsumer<ObjectNode> change) throws Exception {
        JsonNode current = app(app);
        ObjectNode body = Rest.JSON.createObjectNode();
        body.put("version", current.path("version").asLong());
        body.set("labels", current.path("labels"));
        ObjectNode spec = current.path("spec").deepCopy();
        change.accept(spec);
        body.set("spec", spec);
        rest.expect(200, "PUT", "/api/v1/apps/" + app, body.toString());
    }

    /** Registers a node of this kind with the capacity of dev mode's own node of that kind. */
    void registerNode(String name, String kind, String endpoint) throws Exception {
        JsonNode local = rest.json(200, "GET", "/api/v1/nodes/" + (kind.equals("process") ? "local" : "docker"), null);
        ObjectNode node = Rest.JSON.createObjectNode().put("name", name).put("driverKind", kind).put("endpoint", endpoint)
                .put("region", "local");
        node.set("capacity", local.path("capacity"));
        rest.expect(201, "POST", "/api/v1/nodes", node.toString());
    }

    void awaitNode(String node, String status) throws Exception {
        await("node " + node + " to be " + status, () -> {
            int code = rest.status("GET", "/api/v1/nodes/" + node);
            return code == 200 && status.equals(rest.json(200, "GET", "/api/v1/nodes/" + node, null).path("status").asText());
        });
    }

    // ---- the machine's view ----------------------------------------------------------------------------------------

    /** The pids of the processes this machine runs for the app (by the environment the process driver gives them). */
    static List<Long> processesOf(String app) {
        return ProcessHandle.allProcesses().filter(p -> environ(p.pid()).contains("ORCHESTRY_APP=" + app + "\0"))
                .map(ProcessHandle::pid).toList();
    }

    void assertNoProcessLeft(String app) throws Exception {
        await("no process of " + app + " to be left", () -> processesOf(app).isEmpty());
    }

    private static String environ(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1);
        } catch (Exception gone) {
            return "";
        }
    }

    void assertNoContainerLeft(String app) throws Exception {
        await("no container of " + app + " to be left", () -> {
            Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=orchestry.app=" + app).start();
            String out = new String(ps.getInputStream().readAllBytes()).trim();
            return ps.waitFor() == 0 && out.isEmpty();
        });
    }

    static boolean dockerAnswers() {
        try {
            return new ProcessBuilder("docker", "info").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception none) {
            return false;
        }
    }

    static void kill(String kind, JsonNode instance) throws Exception {
        String runtimeId = instance.path("runtimeId").asText();
        List<String> command = kind.equals("process")
                ? List.of("kill", "-9", runtimeId.split(":")[0])
                : List.of("docker", "kill", runtimeId);
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), "killed " + runtimeId);
    }

    /** Polls (every 100 ms, bounded by the wait) until the condition holds; fails with the last error and the apps. */
    void await(String what, ThrowingSupplier<Boolean> condition) throws Exception {
        long end = System.nanoTime() + wait.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new RuntimeException(e);
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what + (last == null ? "" : ": " + last) + "\nlast app view: " + safeDump());
    }

    private String safeDump() {
        try {
            return rest.plainGet(gateway + "/api/v1/apps?limit=10");
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The fewest healthy replicas seen while sampling. */
    final class HealthyFloor {
        private final String app;
        private int lowest = Integer.MAX_VALUE;
        private int samples;

        HealthyFloor(String app) {
            this.app = app;
        }

        void sample() throws Exception {
            lowest = Math.min(lowest, healthy(instances(app)));
            samples++;
        }

        void assertNeverBelow(int floor) {
            org.junit.jupiter.api.Assertions.assertTrue(samples > 0, "sampled");
            org.junit.jupiter.api.Assertions.assertTrue(lowest >= floor,
                    "healthy replicas fell to " + lowest + " (floor " + floor + ") over " + samples + " samples");
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    interface ThrowingConsumer<T> {
        void accept(T value) throws Exception;
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
