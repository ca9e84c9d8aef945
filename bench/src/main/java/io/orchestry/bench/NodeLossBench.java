package io.orchestry.bench;

import io.orchestry.launcher.ServiceKind;
import io.orchestry.provisioner.v1.AppSpec;
import io.orchestry.provisioner.v1.ComputeResources;
import io.orchestry.provisioner.v1.ContainerSpec;
import io.orchestry.provisioner.v1.CreateAppRequest;
import io.orchestry.provisioner.v1.DeleteAppRequest;
import io.orchestry.provisioner.v1.HealthCheck;
import io.orchestry.provisioner.v1.HttpProbe;
import io.orchestry.provisioner.v1.ImagePullPolicy;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.InstanceHealth;
import io.orchestry.provisioner.v1.InstanceState;
import io.orchestry.provisioner.v1.PortSpec;
import io.orchestry.provisioner.v1.ResourceRequirements;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.NodeStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A docker node whose engine stops answering, until every replica it had runs healthy on the other node. Two
 * engines: the machine's and a {@link SecondEngine} this benchmark starts, both registered as docker nodes. Each
 * round creates an app of the demo image ({@code replicas}, spread, HTTP health check on /health), waits until every
 * replica is healthy, then SIGSTOPs the second engine (its containers keep running; it answers nothing) and times,
 * from that moment: the node SUSPECT, DOWN, every replica placed on the first node, and every one of them
 * RUNNING + healthy there. The registry's default timings (heartbeat 3 s, suspect 9 s, down 15 s) apply. Then
 * SIGCONT, the leftovers on the second engine are removed, the app is deleted.
 *
 * <p>Run: {@code bench/run nodeloss [replicas=4] [rounds=3]}.
 */
public final class NodeLossBench {
    static final String PROJECT = "bench-nodeloss";
    static final String IMAGE = "orchestry/demo-app:dev";
    private static final String FIRST = "engine-a";
    private static final String SECOND = "engine-b";
    private static final Duration LIMIT = Duration.ofMinutes(3);
    /** How long after SIGSTOP the replicas may take to run on the first node before the round says they did not. */
    private static final Duration MOVE_LIMIT = Duration.ofSeconds(60);

    private NodeLossBench() {
    }

    public static void main(String[] args) throws Exception {
        int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        if (!SecondEngine.machineEngineAnswers()) {
            System.out.println("nodeloss: no Docker Engine answers at /var/run/docker.sock (docker info failed): skipped");
            return;
        }
        if (!SecondEngine.run(List.of("docker", "image", "inspect", IMAGE), Duration.ofSeconds(15)).ok()) {
            System.out.println("nodeloss: the image " + IMAGE + " is missing: build it with deploy/images/build");
            System.exit(1);
        }
        System.out.printf(Locale.ROOT, "node-loss benchmark: app of %d replicas of %s over 2 docker nodes, %d rounds, registry default timings;"
                + " %d cores, Java %s%n", replicas, IMAGE, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        long began = System.nanoTime();
        try (SecondEngine engine = SecondEngine.start()) {
            System.out.printf(Locale.ROOT, "second engine (pid %d, %s) answers after %.1f s%n", engine.pid(), engine.endpoint(), seconds(began));
            long loading = System.nanoTime();
            engine.load(IMAGE);
            System.out.printf(Locale.ROOT, "%s loaded into it in %.1f s%n", IMAGE, seconds(loading));
            try (BenchStack stack = BenchStack.start(root, ServiceKind.REGISTRY, ServiceKind.PROVISIONER);
                 ControlPlane plane = new ControlPlane(stack.grpcPort(ServiceKind.REGISTRY), stack.grpcPort(ServiceKind.PROVISIONER),
                         stack.httpPort(ServiceKind.PROVISIONER))) {
                run(plane, engine, replicas, rounds);
            } finally {
                engine.resume(); // a round that failed may have left it stopped
                int removed = engine.removeAll("orchestry.project=" + PROJECT);
                System.out.println(removed == 0 ? "no container of the benchmark left" : "removed " + removed + " containers left behind");
            }
        }
    }

    private static void run(ControlPlane plane, SecondEngine engine, int replicas, int rounds) throws Exception {
        plane.ensureProject(PROJECT);
        int cpus = Runtime.getRuntime().availableProcessors();
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        plane.registerNode(FIRST, DriverKind.DRIVER_KIND_DOCKER, "unix:///var/run/docker.sock", cpus * 1000L, memory);
        plane.registerNode(SECOND, DriverKind.DRIVER_KIND_DOCKER, engine.endpoint(), cpus * 1000L, memory);
        plane.awaitNode(FIRST, NodeStatus.NODE_STATUS_READY, Duration.ofSeconds(60));
        plane.awaitNode(SECOND, NodeStatus.NODE_STATUS_READY, Duration.ofSeconds(60));

        Map<String, List<Double>> phases = new LinkedHashMap<>();
        List<Double> afterResume = new ArrayList<>();
        int notMoved = 0;
        for (int round = 1; round <= rounds; round++) {
            String app = "nodeloss-" + round;
            long creating = System.nanoTime();
            plane.provisioner().createApp(CreateAppRequest.newBuilder().setName(app).setProject(PROJECT).setSpec(spec(replicas)).build());
            List<Instance> healthy = await(plane, app, l -> healthy(l, null) == replicas);
            long onSecond = healthy.stream().filter(i -> i.getNodeName().equals(SECOND)).count();
            System.out.printf(Locale.ROOT, "round %d  %d replicas healthy %.1f s after create, %d on %s, %d on %s%n", round, replicas,
                    seconds(creating), replicas - onSecond, FIRST, onSecond, SECOND);
            if (onSecond == 0) {
                System.out.println("  nothing on " + SECOND + ": the round measures no move");
            }
            long beatAgo = System.currentTimeMillis() - lastHeartbeatMillis(plane);

            long stopped = System.nanoTime();
            engine.pause();
            double suspect = seconds(stopped, plane.awaitNode(SECOND, NodeStatus.NODE_STATUS_SUSPECT, LIMIT));
            System.out.printf(Locale.ROOT, "  SIGSTOP (last heartbeat %.1f s before) -> SUSPECT %.1f s%n", beatAgo / 1000.0, suspect);
            double down = seconds(stopped, plane.awaitNode(SECOND, NodeStatus.NODE_STATUS_DOWN, LIMIT));
            System.out.printf(Locale.ROOT, "  SIGSTOP -> DOWN %.1f s%n", down);
            boolean placedThere = within(plane, app, l -> l.stream().filter(i -> i.getNodeName().equals(FIRST)).count() == replicas, MOVE_LIMIT);
            double placed = seconds(stopped);
            boolean healthyThere = placedThere && within(plane, app, l -> healthy(l, FIRST) == replicas, MOVE_LIMIT);
            double ready = seconds(stopped);
            phases.computeIfAbsent("last heartbeat before SIGSTOP", k -> new ArrayList<>()).add(beatAgo / 1000.0);
            phases.computeIfAbsent("SIGSTOP -> SUSPECT", k -> new ArrayList<>()).add(suspect);
            phases.computeIfAbsent("SIGSTOP -> DOWN", k -> new ArrayList<>()).add(down);
            if (healthyThere) {
                System.out.printf(Locale.ROOT, "  -> all %d placed on %s %.1f s -> all healthy there %.1f s (%.1f s after DOWN)%n", replicas,
                        FIRST, placed, ready, ready - down);
                phases.computeIfAbsent("DOWN -> all placed on " + FIRST, k -> new ArrayList<>()).add(placed - down);
                phases.computeIfAbsent("placed -> all healthy", k -> new ArrayList<>()).add(ready - placed);
                phases.computeIfAbsent("SIGSTOP -> all healthy on " + FIRST, k -> new ArrayList<>()).add(ready);
            } else {
                System.out.printf(Locale.ROOT, "  NOT all %s on %s %.1f s after SIGSTOP (%.1f s after DOWN): %s%n",
                        placedThere ? "healthy" : "placed", FIRST, ready, ready - down, describe(plane.instances(PROJECT, app)));
                notMoved++;
            }

            engine.resume();
            long resumed = System.nanoTime();
            if (!healthyThere) {
                await(plane, app, l -> healthy(l, FIRST) == replicas);
                afterResume.add(seconds(resumed));
                System.out.printf(Locale.ROOT, "  after SIGCONT: all %d healthy on %s %.1f s later%n", replicas, FIRST, seconds(resumed));
            }
            plane.awaitNode(SECOND, NodeStatus.NODE_STATUS_READY, LIMIT);
            List<String> left = engine.containers("orchestry.app=" + app);
            System.out.printf(Locale.ROOT, "  SIGCONT: %s READY again after %.1f s; %d containers of the app left there (removed by the benchmark:"
                    + " the orphan reaper's grace is 60 s)%n", SECOND, seconds(resumed), left.size());
            engine.removeAll("orchestry.app=" + app);
            plane.provisioner().deleteApp(DeleteAppRequest.newBuilder().setName(app).build());
            await(plane, app, List::isEmpty);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY (median of %d rounds, %d replicas, heartbeat 3 s / suspect 9 s / down 15 s)%n", rounds, replicas);
        phases.forEach((phase, values) -> System.out.printf(Locale.ROOT, "  %-40s %5.1f s%n", phase, Latencies.median(values)));
        if (notMoved > 0) {
            System.out.printf(Locale.ROOT, "  %d of %d rounds: the replicas were NOT moved within %d s of SIGSTOP; after SIGCONT they ran healthy"
                    + " on %s %.1f s later (median)%n", notMoved, rounds, MOVE_LIMIT.toSeconds(), FIRST, Latencies.median(afterResume));
        }
        System.out.println("  target: SIGSTOP -> replicas running elsewhere <= 20 s");
        System.out.println("  measured with: " + System.getProperty("orchestry.bench.command", "bench/run nodeloss"));
    }

    private static AppSpec spec(int replicas) {
        return AppSpec.newBuilder()
                .setContainer(ContainerSpec.newBuilder().setImage(IMAGE).setPullPolicy(ImagePullPolicy.IMAGE_PULL_POLICY_NEVER))
                .addPorts(PortSpec.newBuilder().setName("http").setContainerPort(8000))
                .setReplicas(replicas)
                .setResources(ResourceRequirements.newBuilder()
                        .setRequests(ComputeResources.newBuilder().setCpuMillis(10).setMemoryBytes(64L << 20)))
                .setHealthCheck(HealthCheck.newBuilder().setHttp(HttpProbe.newBuilder().setPath("/health"))
                        .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                        .setTimeout(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000))
                        .setFailureThreshold(2))
                .build();
    }

    private static long healthy(List<Instance> instances, String node) {
        return instances.stream().filter(i -> node == null || i.getNodeName().equals(node))
                .filter(i -> i.getState() == InstanceState.INSTANCE_STATE_RUNNING && i.getHealth() == InstanceHealth.INSTANCE_HEALTH_HEALTHY)
                .count();
    }

    private static long lastHeartbeatMillis(ControlPlane plane) {
        var t = plane.registry().getNode(io.orchestry.registry.v1.GetNodeRequest.newBuilder().setName(SECOND).build())
                .getNode().getLastHeartbeatTime();
        return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
    }

    /** Polls the app's instances every 100 ms until {@code done} or {@code limit}; whether it got there. */
    private static boolean within(ControlPlane plane, String app, java.util.function.Predicate<List<Instance>> done, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.test(plane.instances(PROJECT, app))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String describe(List<Instance> instances) {
        StringBuilder seen = new StringBuilder();
        instances.forEach(i -> seen.append("\n    ").append(i.getId()).append(' ').append(i.getNodeName()).append(' ')
                .append(i.getState()).append(' ').append(i.getHealth()).append(' ').append(i.getLastError()));
        return seen.toString();
    }

    /** Polls the app's instances every 100 ms until {@code done}. */
    private static List<Instance> await(ControlPlane plane, String app, java.util.function.Predicate<List<Instance>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        List<Instance> last = List.of();
        while (System.nanoTime() < deadline) {
            last = plane.instances(PROJECT, app);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(app + " did not get there within " + LIMIT + "; its instances:" + describe(last));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double seconds(long since, long at) {
        return (at - since) / 1e9;
    }
}
