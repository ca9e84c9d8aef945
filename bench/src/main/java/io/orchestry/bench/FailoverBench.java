package io.orchestry.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.GetNodeStatsRequest;
import io.orchestry.registry.v1.NodeStatus;
import io.orchestry.registry.v1.NodeStatusCount;
import io.orchestry.registry.v1.NodeUsage;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.Resources;
import io.orchestry.registry.v1.SendHeartbeatRequest;
import io.orchestry.system.v1.GetSystemInfoRequest;
import io.orchestry.system.v1.GetSystemInfoResponse;
import io.orchestry.system.v1.SystemServiceGrpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leader failover of registry-service: two replicas on one PostgreSQL, {@code nodes} simulated
 * nodes heartbeating every second (each to its own replica first, and to the other one when that
 * fails, as an agent given both addresses does). Each round {@code kill -9}s the replica that leads
 * and measures, on the survivor:
 * <ul>
 *   <li><b>leads</b>: from the kill until its SystemService says it leads (the election interval
 *       and the release of the dead session's advisory lock);</li>
 *   <li><b>monitor runs</b>: a canary node stops heartbeating so that its SUSPECT deadline falls
 *       just after the kill; the delay past that deadline until the survivor marks it SUSPECT is
 *       how long no health monitor ran;</li>
 *   <li>heartbeats lost (failed on both replicas) and nodes wrongly SUSPECT or DOWN afterwards.</li>
 * </ul>
 * Then a new replica replaces the killed one and the next round starts. Medians are reported.
 *
 * <p>Run: {@code bench/run failover [nodes=1000] [rounds=5]}.
 */
public final class FailoverBench {
    private static final Duration SUSPECT_AFTER = Duration.ofSeconds(4);
    /** The canary's deadline falls this long after the kill. */
    private static final Duration CANARY_MARGIN = Duration.ofMillis(200);

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        System.out.printf(Locale.ROOT, "failover benchmark: 2 registry replicas, %d nodes heartbeating every 1 s, %d rounds; %d cores, Java %s%n",
                nodes, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (BenchStack stack = BenchStack.start(root, List.of(
                "ORCHESTRY_REGISTRY_HEARTBEAT_INTERVAL=1s",
                "ORCHESTRY_REGISTRY_SUSPECT_AFTER=" + SUSPECT_AFTER.toSeconds() + "s",
                "ORCHESTRY_REGISTRY_DOWN_AFTER=8s"), ServiceKind.REGISTRY)) {
            List<Replica> replicas = new ArrayList<>();
            replicas.add(new Replica(stack.service(ServiceKind.REGISTRY)));
            replicas.add(new Replica(stack.startReplica(ServiceKind.REGISTRY)));
            try {
                run(stack, replicas, nodes, rounds);
            } finally {
                replicas.forEach(Replica::closeChannel);
            }
        }
    }

    private static void run(BenchStack stack, List<Replica> replicas, int nodes, int rounds) throws Exception {
        long began = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<?>> registering = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            registering.add(LoadDriver.of(RegistryServiceGrpc.newFutureStub(replicas.get(i % 2).channel())
                    .withDeadlineAfter(30, TimeUnit.SECONDS).registerNode(node("bench-node-" + i))));
            if (registering.size() == 32) {
                registering.forEach(java.util.concurrent.CompletableFuture::join);
                registering.clear();
            }
        }
        registering.forEach(java.util.concurrent.CompletableFuture::join);
        System.out.printf(Locale.ROOT, "registered %d nodes in %.1f s%n", nodes, (System.nanoTime() - began) / 1e9);
        Heartbeats beats = new Heartbeats(nodes, replicas);
        beats.start();
        List<Double> leads = new ArrayList<>();
        List<Double> monitors = new ArrayList<>();
        try {
            awaitAllReady(replicas, nodes, Duration.ofSeconds(30));
            for (int round = 1; round <= rounds; round++) {
                Replica leader = awaitLeader(replicas, Duration.ofSeconds(30));
                Replica survivor = replicas.get(0).equals(leader) ? replicas.get(1) : replicas.get(0);
                String canary = "bench-canary-" + round;
                survivor.call(r -> r.registerNode(node(canary)));
                survivor.call(r -> r.sendHeartbeat(beat(canary)));
                awaitStatus(survivor, canary, NodeStatus.NODE_STATUS_READY, Duration.ofSeconds(10));
                // the canary's last heartbeat: its SUSPECT deadline falls CANARY_MARGIN after the kill
                survivor.call(r -> r.sendHeartbeat(beat(canary)));
                long canaryDue = System.nanoTime() + SUSPECT_AFTER.toNanos();
                sleepUntil(canaryDue - CANARY_MARGIN.toNanos());
                long lostBefore = beats.lost.get();

                long killed = System.nanoTime();
                ProcessHandle.of(leader.process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                double leadSeconds = awaitLeads(survivor, killed, Duration.ofSeconds(60));
                awaitStatus(survivor, canary, NodeStatus.NODE_STATUS_SUSPECT, Duration.ofSeconds(60));
                double monitorSeconds = Math.max(0, (System.nanoTime() - canaryDue) / 1e9);
                leads.add(leadSeconds);
                monitors.add(monitorSeconds);

                replicas.remove(leader);
                leader.closeChannel();
                Replica replacement = new Replica(stack.startReplica(ServiceKind.REGISTRY));
                replicas.add(replacement);
                beats.retarget(replicas);
                Thread.sleep(3_000);
                survivor.call(r -> r.deregisterNode(io.orchestry.registry.v1.DeregisterNodeRequest.newBuilder().setName(canary).build()));
                int unhealthy = unhealthy(survivor);
                System.out.printf(Locale.ROOT, "round %d  survivor leads %.2f s after kill -9, monitor ran again %.2f s past the canary's deadline, "
                                + "heartbeats lost %d (retried on the other replica: %d), nodes not READY after: %d%n",
                        round, leadSeconds, monitorSeconds, beats.lost.get() - lostBefore, beats.retried.get(), unhealthy);
            }
        } finally {
            beats.stop();
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY (median of %d kill -9 of the leading registry, %d nodes)%n", rounds, nodes);
        System.out.printf(Locale.ROOT, "  other replica leads after   %.2f s (max %.2f s; target <= 5 s)%n", Latencies.median(leads),
                leads.stream().mapToDouble(d -> d).max().orElse(0));
        System.out.printf(Locale.ROOT, "  monitor runs again after    %.2f s past a deadline (max %.2f s)%n", Latencies.median(monitors),
                monitors.stream().mapToDouble(d -> d).max().orElse(0));
        System.out.printf(Locale.ROOT, "  heartbeats sent %d, lost %d (failed on both replicas), retried on the other %d%n",
                beats.sent.get(), beats.lost.get(), beats.retried.get());
    }

    /** Every node heartbeats once a second, to its own replica first, then to the other on failure. */
    private static final class Heartbeats {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong retried = new AtomicLong();
        private final int nodes;
        private volatile List<Replica> replicas;
        private volatile boolean running = true;
        private final Thread thread;

        Heartbeats(int nodes, List<Replica> replicas) {
            this.nodes = nodes;
            this.replicas = List.copyOf(replicas);
            this.thread = new Thread(this::loop, "heartbeats");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void retarget(List<Replica> now) {
            replicas = List.copyOf(now);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        private void loop() {
            long period = TimeUnit.SECONDS.toNanos(1) / nodes;
            long next = System.nanoTime();
            for (long i = 0; running; i++) {
                sleepUntil(next);
                next += period;
                int node = (int) (i % nodes);
                List<Replica> targets = replicas;
                Replica own = targets.get(node % targets.size());
                Replica other = targets.get((node + 1) % targets.size());
                sent.incrementAndGet();
                SendHeartbeatRequest beat = beat("bench-node-" + node);
                // asynchronous, so that one slow call does not hold up the others' schedule; the
                // callback counts every outcome, so nothing is lost by not keeping the future
                @SuppressWarnings("FutureReturnValueIgnored")
                var unused = LoadDriver.of(own.async().sendHeartbeat(beat)).exceptionallyCompose(failed -> {
                    retried.incrementAndGet();
                    return LoadDriver.of(other.async().sendHeartbeat(beat));
                }).whenComplete((ok, failed) -> {
                    if (failed != null) {
                        lost.incrementAndGet();
                    }
                });
            }
        }
    }

    private record Replica(ServiceProcess process, ManagedChannel channel) {
        Replica(ServiceProcess process) {
            this(process, NettyChannelBuilder.forAddress("127.0.0.1", process.grpcPort()).usePlaintext().build());
        }

        /** A stub's deadline runs from when it is made: one per call. */
        RegistryServiceGrpc.RegistryServiceBlockingStub registry() {
            return RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        }

        /** One of the bench's own calls, tried again while the replica sheds load (as a client should). */
        <T> T call(java.util.function.Function<RegistryServiceGrpc.RegistryServiceBlockingStub, T> rpc) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return rpc.apply(registry());
                } catch (io.grpc.StatusRuntimeException e) {
                    if (e.getStatus().getCode() != io.grpc.Status.Code.RESOURCE_EXHAUSTED || attempt == 100) {
                        throw e;
                    }
                    sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }

        RegistryServiceGrpc.RegistryServiceFutureStub async() {
            return RegistryServiceGrpc.newFutureStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS);
        }

        GetSystemInfoResponse info() {
            return SystemServiceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        }

        boolean leads() {
            try {
                return info().getLeadership().getLeader();
            } catch (RuntimeException unreachable) {
                return false;
            }
        }

        void closeChannel() {
            channel.shutdownNow();
        }
    }

    private static Replica awaitLeader(List<Replica> replicas, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Replica replica : replicas) {
                if (replica.leads()) {
                    return replica;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no replica leads after " + timeout);
    }

    private static double awaitLeads(Replica survivor, long since, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (survivor.leads()) {
                return (System.nanoTime() - since) / 1e9;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the survivor did not lead within " + timeout);
    }

    private static void awaitStatus(Replica replica, String node, NodeStatus status, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (replica.call(r -> r.getNode(GetNodeRequest.newBuilder().setName(node).build())).getNode().getStatus() == status) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(node + " did not become " + status + " within " + timeout);
    }

    private static void awaitAllReady(List<Replica> replicas, int nodes, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (count(replicas.get(0), NodeStatus.NODE_STATUS_READY) >= nodes) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not every node was READY within " + timeout);
    }

    private static int unhealthy(Replica replica) {
        return count(replica, NodeStatus.NODE_STATUS_SUSPECT) + count(replica, NodeStatus.NODE_STATUS_DOWN);
    }

    private static int count(Replica replica, NodeStatus status) {
        return replica.call(r -> r.getNodeStats(GetNodeStatsRequest.getDefaultInstance())).getCountsList().stream()
                .filter(c -> c.getStatus() == status).mapToInt(NodeStatusCount::getCount).sum();
    }

    private static SendHeartbeatRequest beat(String node) {
        return SendHeartbeatRequest.newBuilder().setNodeName(node)
                .setUsage(NodeUsage.newBuilder().setCpuMillis(500).setMemoryBytes(1L << 30).setRunningWorkloads(3)).build();
    }

    private static RegisterNodeRequest node(String name) {
        return RegisterNodeRequest.newBuilder().setName(name).setDriverKind(DriverKind.DRIVER_KIND_PROCESS)
                .setCapacity(Resources.newBuilder().setCpuMillis(8000).setMemoryBytes(32L << 30)).build();
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
