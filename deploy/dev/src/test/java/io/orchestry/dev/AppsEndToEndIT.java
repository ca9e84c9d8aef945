package io.orchestry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The "done when", through REST only, as a user of dev mode: on the process driver (this machine's node
 * {@code local}) and on the Docker driver (node {@code docker}, when an engine answers; required under CI=true):
 * create an app of the demo app, see N healthy replicas answer, scale it, roll out a new revision without ever having
 * fewer healthy replicas than {@code replicas - maxUnavailable}, see a failed rollout roll back by itself, kill a
 * replica and see it replaced, drain the node its replicas are on, delete it all and find no process or container left.
 */
class AppsEndToEndIT {
    private static final Path ROOT = Path.of(System.getProperty("orchestry.root", "../..")).toAbsolutePath().normalize();
    // generous: a container replica took 20-30 s from retire to the next healthy one on a loaded 2-core machine
    private static final Duration WAIT = Duration.ofSeconds(240);

    private static DevModeIT.Launched stack;
    private static String gateway;
    private static Rest rest;
    private static AppsApi api;

    @BeforeAll
    static void startDevMode() throws Exception {
        int offset = PortOffsets.findFree(ServiceKind.values());
        stack = DevModeIT.launch(offset, java.util.Map.of());
        gateway = "http://127.0.0.1:" + ServiceKind.GATEWAY.httpPort(offset);
        rest = new Rest(gateway, stack.printedToken());
        api = new AppsApi(rest, gateway, WAIT);
        // containers outlive a stack: an earlier run that was killed may have left some of this test's apps
        if (AppsApi.dockerAnswers()) {
            for (String app : List.of("web-docker")) {
                Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=orchestry.app=" + app).start();
                for (String id : new String(ps.getInputStream().readAllBytes()).trim().split("\\s+")) {
                    if (!id.isEmpty()) {
                        new ProcessBuilder("docker", "rm", "-f", id).start().waitFor();
                    }
                }
            }
        }
        rest.expect(201, "POST", "/api/v1/organizations", "{\"name\":\"e2e\"}");
        rest.expect(201, "POST", "/api/v1/organizations/e2e/projects", "{\"name\":\"shop\"}");
    }

    @AfterAll
    static void stopDevMode() {
        if (stack != null) {
            stack.kill();
        }
    }

    @Test
    void processApp_createScaleRollOutRollBackKillDrainDelete() throws Exception {
        Path jar = ROOT.resolve("demo-app/target/demo-app.jar");
        assertTrue(Files.isRegularFile(jar), "the demo app is built: " + jar);
        api.awaitNode("local", "ready");
        ObjectNode runtime = Rest.JSON.createObjectNode();
        runtime.putObject("process").put("command", "java").putArray("args").add("-jar").add(jar.toString());
        lifecycle("web-proc", runtime, "local", () -> api.registerNode("local-b", "process", "local"),
                instance -> AppsApi.kill("process", instance));
        api.assertNoProcessLeft("web-proc");
    }

    @Test
    void dockerApp_createScaleRollOutRollBackKillDrainDelete() throws Exception {
        boolean engine = new ProcessBuilder("docker", "info").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        boolean required = "true".equals(System.getenv("CI"));
        if (!required) {
            Assumptions.assumeTrue(engine && AppsApi.dockerAnswers(), "no Docker Engine answers here: the docker half is skipped (CI runs it)");
        }
        api.awaitNode("docker", "ready");
        ObjectNode runtime = Rest.JSON.createObjectNode();
        runtime.putObject("container").put("image", "orchestry/demo-app:dev");
        lifecycle("web-docker", runtime, "docker", () -> api.registerNode("docker-b", "docker", "unix:///var/run/docker.sock"),
                instance -> AppsApi.kill("docker", instance));
        api.assertNoContainerLeft("web-docker");
    }

    private void lifecycle(String app, ObjectNode runtime, String firstNode, AppsApi.ThrowingRunnable addSecondNode,
                           AppsApi.ThrowingConsumer<JsonNode> killer) throws Exception {
        // create: 2 replicas, health-checked, rolled out one by one, never below 2 available
        ObjectNode spec = runtime.deepCopy();
        spec.putArray("ports").addObject().put("name", "http").put("containerPort", 8000);
        spec.put("replicas", 2);
        ObjectNode health = spec.putObject("healthCheck");
        health.putObject("http").put("path", "/health");
        health.put("interval", "PT1S").put("timeout", "PT0.5S").put("failureThreshold", 2);
        spec.putObject("rollingUpdate").put("maxSurge", 1).put("maxUnavailable", 0).put("minReady", "PT1S")
                .put("progressDeadline", "PT3M");
        spec.putObject("placement").put("nodeLabelSelector", "");
        ObjectNode create = Rest.JSON.createObjectNode().put("name", app).put("project", "shop");
        create.set("spec", spec);
        rest.expect(201, "POST", "/api/v1/apps", create.toString());
        api.awaitReady(app, 2);
        Set<String> answered = new HashSet<>();
        for (JsonNode instance : api.instances(app)) {
            assertEquals(firstNode, instance.path("nodeName").asText(), instance.toString());
            JsonNode hello = Rest.JSON.readTree(rest.plainGet("http://" + instance.path("address").path("host").asText() + ":"
                    + instance.path("address").path("port").asInt() + "/"));
            answered.add(hello.path("instance").asText());
        }
        assertEquals(2, answered.size(), "each replica answers as itself: " + answered);

        // scale
        rest.expect(200, "POST", "/api/v1/apps/" + app + "/scale", "{\"replicas\":3,\"reason\":\"e2e\"}");
        api.awaitReady(app, 3);

        // a new revision, rolled out without ever fewer than 3 healthy replicas
        long before = api.app(app).path("revision").asLong();
        AppsApi.HealthyFloor floor = api.new HealthyFloor(app);
        api.update(app, s -> ((ObjectNode) s.with("env")).put("DEMO_REVISION_NOTE", "two"));
        api.await("the rollout of revision " + (before + 1) + " to finish", () -> {
            floor.sample();
            JsonNode a = api.app(app);
            return a.path("revision").asLong() == before + 1 && api.allRun(app, before + 1, 3)
                    && "succeeded".equals(api.latestDeployment(app).path("state").asText());
        });
        floor.assertNeverBelow(3);

        // a revision that never turns healthy: the rollout misses its deadline and rolls back by itself
        AppsApi.HealthyFloor failing = api.new HealthyFloor(app);
        api.update(app, s -> {
            ((ObjectNode) s.with("env")).put("DEMO_UNHEALTHY", "1");
            ((ObjectNode) s.with("rollingUpdate")).put("progressDeadline", "PT5S");
        });
        api.await("the failing rollout to roll back", () -> {
            failing.sample();
            return "rolled_back".equals(api.latestDeployment(app).path("state").asText());
        });
        api.await("the app to be back on the previous revision's replicas", () -> {
            failing.sample();
            return api.allRun(app, before + 1, 3) || api.app(app).path("spec").path("env").path("DEMO_UNHEALTHY").isMissingNode()
                    && api.readyReplicas(app) == 3;
        });
        failing.assertNeverBelow(3);

        // kill one replica: it is replaced
        JsonNode victim = api.instances(app).get(0);
        killer.accept(victim);
        api.await("the killed replica " + victim.path("id").asText() + " to be replaced", () -> {
            List<JsonNode> now = api.instances(app);
            boolean gone = now.stream().noneMatch(i -> i.path("id").asText().equals(victim.path("id").asText())
                    && i.path("restartCount").asInt() == victim.path("restartCount").asInt());
            return gone && AppsApi.healthy(now) == 3;
        });

        // drain the node: every replica moves to the second node, then the first reports empty
        addSecondNode.run();
        api.awaitNode(secondNode(firstNode), "ready");
        String deadline = Instant.now().plusSeconds(180).toString();
        rest.expect(200, "POST", "/api/v1/nodes/" + firstNode + "/drain", "{\"deadline\":\"" + deadline + "\"}");
        api.await("the replicas to leave " + firstNode, () -> {
            List<JsonNode> now = api.instances(app);
            return AppsApi.healthy(now) == 3 && now.stream().allMatch(i -> i.path("nodeName").asText().equals(secondNode(firstNode)));
        });
        JsonNode drained = rest.json(200, "POST", "/api/v1/nodes/" + firstNode + "/drain", "{\"deadline\":\"" + deadline + "\"}");
        assertEquals(0, drained.path("remainingInstances").asInt(), drained.toString());
        rest.expect(200, "POST", "/api/v1/nodes/" + firstNode + "/uncordon", "");

        // delete: the app, its replicas, everything it made
        rest.expect(204, "DELETE", "/api/v1/apps/" + app, null);
        api.await("the app to be gone", () -> rest.status("GET", "/api/v1/apps/" + app) == 404);
    }

    private static String secondNode(String firstNode) {
        return firstNode + "-b";
    }

    static Predicate<JsonNode> onNode(String node) {
        return i -> node.equals(i.path("nodeName").asText());
    }
}
