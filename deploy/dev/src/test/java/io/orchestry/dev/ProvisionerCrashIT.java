package io.orchestry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash tests, through REST and the machine, on the process driver of dev mode (which restarts a service
 * that dies): {@code kill -9} of the provisioner in the middle of a rollout converges with no duplicate and no orphan;
 * a node that stops answering goes DOWN and its replicas run elsewhere, and what it ran is removed when it is back.
 * Short health timings and orphan grace are set through the services' environment, as an operator would.
 */
class ProvisionerCrashIT {
    private static final Path ROOT = Path.of(System.getProperty("orchestry.root", "../..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(180);

    private static Path dataDir;
    private static DevModeIT.Launched stack;
    private static AppsApi api;

    @BeforeAll
    static void startDevMode() throws Exception {
        int offset = PortOffsets.findFree(ServiceKind.values());
        dataDir = Files.createTempDirectory("orchestry-crash-it-");
        stack = DevModeIT.launch(offset, Map.of(
                        "ORCHESTRY_REGISTRY_HEARTBEAT_INTERVAL", "1s",
                        "ORCHESTRY_REGISTRY_SUSPECT_AFTER", "3s",
                        "ORCHESTRY_REGISTRY_DOWN_AFTER", "5s",
                        "ORCHESTRY_PROVISIONER_ORPHANS_GRACE", "5s",
                        "ORCHESTRY_PROVISIONER_ORPHANS_INTERVAL", "2s"),
                "--data-dir", dataDir.toString());
        String gateway = "http://127.0.0.1:" + ServiceKind.GATEWAY.httpPort(offset);
        api = new AppsApi(new Rest(gateway, stack.printedToken()), gateway, WAIT);
        api.rest().expect(201, "POST", "/api/v1/organizations", "{\"name\":\"crash\"}");
        api.rest().expect(201, "POST", "/api/v1/organizations/crash/projects", "{\"name\":\"shop\"}");
        api.awaitNode("local", "ready");
    }

    @AfterAll
    static void stopDevMode() throws IOException {
        try {
            if (stack != null) {
                stack.kill();
            }
        } finally {
            if (dataDir != null) {
                try (Stream<Path> tree = Files.walk(dataDir)) {
                    tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void provisionerKilledMidRollout_restartedByDevMode_convergesWithoutDuplicateOrOrphan() throws Exception {
        String app = "crash-roll";
        create(app, 3, "PT3S");
        api.awaitReady(app, 3);
        long revision = api.app(app).path("revision").asLong() + 1;
        api.update(app, s -> ((ObjectNode) s.with("env")).put("DEMO_REVISION_NOTE", "two"));
        api.await("the rollout to be under way", () -> api.instances(app).stream()
                .anyMatch(i -> i.path("revision").asLong() == revision));

        // replicas of the new revision that run when the provisioner dies are adopted afterwards, never replaced:
        // the stack's nodes went DOWN while nobody heartbeated for them, which is this provisioner's absence, not theirs
        Map<String, String> started = api.instances(app).stream()
                .filter(i -> i.path("revision").asLong() == revision && !i.path("runtimeId").asText().isEmpty())
                .collect(Collectors.toMap(i -> i.path("id").asText(), i -> i.path("runtimeId").asText()));
        long provisioner = stack.pidOf("provisioner");
        ProcessHandle.of(provisioner).orElseThrow().destroyForcibly();
        stack.awaitLine(line -> line.contains("provisioner-service exited with code 137"));
        int most = 0;
        long end = System.nanoTime() + WAIT.toNanos();
        boolean converged = false;
        while (!converged && System.nanoTime() < end) {
            most = Math.max(most, AppsApi.processesOf(app).size());
            try {
                converged = api.allRun(app, revision, 3)
                        && "succeeded".equals(api.latestDeployment(app).path("state").asText());
            } catch (Exception | AssertionError provisionerStillRestarting) {
                converged = false;
            }
            Thread.sleep(100);
        }
        assertTrue(converged, "the rollout finished after the restart: " + api.instances(app));
        assertTrue(most <= 4, "never more than replicas + maxSurge processes of the app, saw " + most);
        Map<String, String> after = api.instances(app).stream()
                .collect(Collectors.toMap(i -> i.path("id").asText(), i -> i.path("runtimeId").asText()));
        started.forEach((id, runtimeId) -> assertEquals(runtimeId, after.get(id), id + " adopted as it ran: " + after));
        assertTrue(api.instances(app).stream().allMatch(i -> i.path("restartCount").asInt() == 0), "nothing restarted");
        assertOnlyTheReplicasRun(app);

        api.rest().expect(204, "DELETE", "/api/v1/apps/" + app, null);
        api.assertNoProcessLeft(app);
    }

    @Test
    void nodeStopsAnswering_down_replicasRunElsewhere_leftoversRemovedWhenItIsBack() throws Exception {
        api.registerNode("local-b", "process", "local");
        api.awaitNode("local-b", "ready");
        String app = "crash-node";
        create(app, 2, "PT0S");
        api.awaitReady(app, 2);
        assertEquals(Set.of("local", "local-b"), api.instances(app).stream().map(i -> i.path("nodeName").asText())
                .collect(Collectors.toSet()), "spread over both nodes");

        // the node's work directory goes away: its fingerprint fails, the provisioner stops heartbeating for it
        Path work = dataDir.resolve("process/local-b");
        Path away = dataDir.resolve("process/local-b.away");
        Files.move(work, away);
        try {
            api.awaitNode("local-b", "down");
            api.await("both replicas healthy on local", () -> {
                List<JsonNode> now = api.instances(app);
                return now.size() == 2 && AppsApi.healthy(now) == 2
                        && now.stream().allMatch(i -> "local".equals(i.path("nodeName").asText()));
            });
        } finally {
            Files.move(away, work);
        }
        api.awaitNode("local-b", "ready");
        assertOnlyTheReplicasRun(app); // what ran on local-b is an orphan now, removed after its grace

        api.rest().expect(204, "DELETE", "/api/v1/apps/" + app, null);
        api.assertNoProcessLeft(app);
        api.rest().expect(204, "DELETE", "/api/v1/nodes/local-b", null);
    }

    private static void create(String app, int replicas, String minReady) throws Exception {
        Path jar = ROOT.resolve("demo-app/target/demo-app.jar");
        assertTrue(Files.isRegularFile(jar), "the demo app is built: " + jar);
        ObjectNode spec = Rest.JSON.createObjectNode();
        spec.putObject("process").put("command", "java").putArray("args").add("-jar").add(jar.toString());
        spec.putArray("ports").addObject().put("name", "http").put("containerPort", 8000);
        spec.put("replicas", replicas);
        ObjectNode health = spec.putObject("healthCheck");
        health.putObject("http").put("path", "/health");
        health.put("interval", "PT1S").put("timeout", "PT0.5S").put("failureThreshold", 2);
        spec.putObject("rollingUpdate").put("maxSurge", 1).put("maxUnavailable", 0).put("minReady", minReady)
                .put("progressDeadline", "PT3M");
        ObjectNode create = Rest.JSON.createObjectNode().put("name", app).put("project", "shop");
        create.set("spec", spec);
        api.rest().expect(201, "POST", "/api/v1/apps", create.toString());
    }

    /** Exactly the processes the instances name run for the app: no duplicate, no orphan left once the grace is over. */
    private static void assertOnlyTheReplicasRun(String app) throws Exception {
        api.await("only the replicas' own processes to run for " + app, () -> {
            Set<Long> named = api.instances(app).stream()
                    .map(i -> Long.parseLong(i.path("runtimeId").asText().split(":")[0])).collect(Collectors.toSet());
            return Set.copyOf(AppsApi.processesOf(app)).equals(named);
        });
    }
}
