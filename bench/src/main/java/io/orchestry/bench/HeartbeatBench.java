package io.orchestry.bench;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.NodeUsage;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.Resources;
import io.orchestry.registry.v1.SendHeartbeatRequest;
import io.orchestry.registry.v1.StreamHeartbeatsRequest;
import io.orchestry.registry.v1.StreamHeartbeatsResponse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats absorbed by a real registry-service (its own JVM, PostgreSQL behind it) from 10,000
 * simulated nodes over gRPC, with the load generator on the same machine. Baseline in the same
 * run: the standard gRPC health check, the cheapest unary call the same server answers, so the
 * ratio says what a heartbeat costs beyond gRPC itself. Rounds alternate baseline and heartbeats;
 * medians are reported. Then an open-loop phase at a fixed rate (latency from when each call was
 * due), and client-streamed heartbeats.
 *
 * <p>Run: {@code bench/run heartbeats [nodes] [rounds] [seconds-per-round] [open-loop-rate]}.
 */
public final class HeartbeatBench {
    private static final int CHANNELS = 4;
    private static final int IN_FLIGHT = 64;

    private HeartbeatBench() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        System.out.printf(Locale.ROOT, "heartbeat benchmark: %d nodes, %d rounds of %d s, open loop at %d/s; %d cores, Java %s%n",
                nodes, rounds, seconds, rate, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        try (BenchStack stack = BenchStack.start(root, ServiceKind.REGISTRY)) {
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < CHANNELS; i++) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", stack.grpcPort(ServiceKind.REGISTRY)).usePlaintext().build());
            }
            try {
                run(stack, channels, nodes, rounds, seconds, rate);
            } finally {
                for (ManagedChannel channel : channels) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void run(BenchStack stack, List<ManagedChannel> channels, int nodes, int rounds, int seconds, int rate)
            throws Exception {
        List<RegistryServiceGrpc.RegistryServiceFutureStub> registry = channels.stream()
                .map(RegistryServiceGrpc::newFutureStub).toList();
        List<HealthGrpc.HealthFutureStub> health = channels.stream().map(HealthGrpc::newFutureStub).toList();

        long began = System.nanoTime();
        LoadDriver.Result registered = LoadDriver.closedLoop(Duration.ofMinutes(5), nodes, 32,
                i -> LoadDriver.of(registry.get((int) (i % CHANNELS)).registerNode(node(i))));
        System.out.printf(Locale.ROOT, "registered %d nodes in %.1f s (%.0f/s, %d errors)%n", nodes,
                (System.nanoTime() - began) / 1e9, nodes / ((System.nanoTime() - began) / 1e9), registered.errors());

        SendHeartbeatRequest[] beats = new SendHeartbeatRequest[nodes];
        for (int i = 0; i < nodes; i++) {
            beats[i] = SendHeartbeatRequest.newBuilder().setNodeName(name(i))
                    .setUsage(NodeUsage.newBuilder().setCpuMillis(500).setMemoryBytes(1L << 30).setRunningWorkloads(3)).build();
        }
        HealthCheckRequest check = HealthCheckRequest.getDefaultInstance();
        java.util.function.LongFunction<CompletableFuture<?>> heartbeat = i -> LoadDriver.of(
                registry.get((int) (i % CHANNELS)).sendHeartbeat(beats[ThreadLocalRandom.current().nextInt(nodes)]));
        java.util.function.LongFunction<CompletableFuture<?>> baseline = i -> LoadDriver.of(
                health.get((int) (i % CHANNELS)).check(check));

        // every node's first heartbeat makes it READY: one database write each, done once, not measured
        began = System.nanoTime();
        LoadDriver.Result first = LoadDriver.closedLoop(Duration.ofMinutes(5), nodes, 32,
                i -> LoadDriver.of(registry.get((int) (i % CHANNELS)).sendHeartbeat(beats[(int) i])));
        System.out.printf(Locale.ROOT, "first heartbeats (PENDING -> READY, one write each): %.0f/s, %d errors%n",
                nodes / ((System.nanoTime() - began) / 1e9), first.errors());
        System.out.println("warming up (JIT) ...");
        LoadDriver.closedLoop(Duration.ofSeconds(10), IN_FLIGHT, heartbeat);
        LoadDriver.closedLoop(Duration.ofSeconds(5), IN_FLIGHT, baseline);

        List<Double> beatRates = new ArrayList<>();
        List<Double> baseRates = new ArrayList<>();
        List<Double> beatP50 = new ArrayList<>();
        List<Double> beatP99 = new ArrayList<>();
        List<Double> baseP99 = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            LoadDriver.Result base = LoadDriver.closedLoop(Duration.ofSeconds(seconds), IN_FLIGHT, baseline);
            LoadDriver.Result beat = LoadDriver.closedLoop(Duration.ofSeconds(seconds), IN_FLIGHT, heartbeat);
            baseRates.add(base.perSecond());
            beatRates.add(beat.perSecond());
            beatP50.add(Latencies.ms(beat.latency(), 50));
            beatP99.add(Latencies.ms(beat.latency(), 99));
            baseP99.add(Latencies.ms(base.latency(), 99));
            System.out.printf(Locale.ROOT, "round %d  health check %8.0f/s %s%n", round, base.perSecond(), Latencies.summary(base.latency()));
            System.out.printf(Locale.ROOT, "round %d  heartbeat    %8.0f/s %s  errors %d%n", round, beat.perSecond(),
                    Latencies.summary(beat.latency()), beat.errors() + base.errors());
        }

        List<String> openLoop = new ArrayList<>();
        for (int asked : new int[]{rate / 4, rate / 2, rate * 3 / 4, rate}) {
            LoadDriver.Result base = LoadDriver.openLoop(Duration.ofSeconds(seconds), asked, 20_000, baseline);
            LoadDriver.Result open = LoadDriver.openLoop(Duration.ofSeconds(seconds), asked, 20_000, heartbeat);
            String line = String.format(Locale.ROOT, "open loop %6d/s asked: heartbeats %6.0f/s done, %s, errors %d | health check p99 %.2f ms",
                    asked, open.perSecond(), Latencies.summary(open.latency()), open.errors(), Latencies.ms(base.latency(), 99));
            System.out.println(line);
            openLoop.add(line);
        }

        double streamed = streamed(channels, beats, seconds);
        System.out.printf(Locale.ROOT, "streamed    %.0f heartbeats/s over %d client streams%n", streamed, CHANNELS * 2);

        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY (median of %d rounds, %d in flight, closed loop)%n", rounds, IN_FLIGHT);
        System.out.printf(Locale.ROOT, "  heartbeats   %.0f/s  p50 %.2f ms  p99 %.2f ms%n", Latencies.median(beatRates),
                Latencies.median(beatP50), Latencies.median(beatP99));
        System.out.printf(Locale.ROOT, "  health check %.0f/s  p99 %.2f ms (baseline: a unary call that does no work)%n",
                Latencies.median(baseRates), Latencies.median(baseP99));
        System.out.printf(Locale.ROOT, "  heartbeat / health-check throughput ratio: %.2f%n",
                Latencies.median(beatRates) / Latencies.median(baseRates));
        openLoop.forEach(line -> System.out.println("  " + line));
        System.out.printf(Locale.ROOT, "  client-streamed: %.0f heartbeats/s%n", streamed);
        System.out.printf(Locale.ROOT, "  registry RSS after the run: %d MB%n", stack.residentKilobytes(ServiceKind.REGISTRY) / 1024);
    }

    /** Heartbeats over client streams, each sending as fast as flow control lets it, for {@code seconds}. */
    private static double streamed(List<ManagedChannel> channels, SendHeartbeatRequest[] beats, int seconds) throws Exception {
        List<CompletableFuture<Long>> accepted = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < CHANNELS * 2; s++) {
            CompletableFuture<Long> result = new CompletableFuture<>();
            accepted.add(result);
            ManagedChannel channel = channels.get(s % CHANNELS);
            Thread sender = new Thread(() -> {
                Object ready = new Object();
                ClientResponseObserver<StreamHeartbeatsRequest, StreamHeartbeatsResponse> observer = new ClientResponseObserver<>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamHeartbeatsRequest> stream) {
                        stream.setOnReadyHandler(() -> {
                            synchronized (ready) {
                                ready.notifyAll();
                            }
                        });
                    }

                    @Override
                    public void onNext(StreamHeartbeatsResponse value) {
                        result.complete(value.getAccepted());
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                };
                ClientCallStreamObserver<StreamHeartbeatsRequest> stream = (ClientCallStreamObserver<StreamHeartbeatsRequest>)
                        RegistryServiceGrpc.newStub(channel).streamHeartbeats(observer);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    if (!stream.isReady()) {
                        synchronized (ready) {
                            try {
                                ready.wait(5);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                break;
                            }
                        }
                        continue;
                    }
                    SendHeartbeatRequest beat = beats[random.nextInt(beats.length)];
                    stream.onNext(StreamHeartbeatsRequest.newBuilder().setNodeName(beat.getNodeName()).setUsage(beat.getUsage()).build());
                }
                stream.onCompleted();
            }, "stream-" + s);
            senders.add(sender);
            sender.start();
        }
        long total = 0;
        for (CompletableFuture<Long> result : accepted) {
            total += result.get(60, TimeUnit.SECONDS);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static String name(long i) {
        return "bench-node-" + i;
    }

    private static RegisterNodeRequest node(long i) {
        return RegisterNodeRequest.newBuilder().setName(name(i)).setDriverKind(DriverKind.DRIVER_KIND_PROCESS)
                .putLabels("rack", "r" + (i % 40))
                .setCapacity(Resources.newBuilder().setCpuMillis(8000).setMemoryBytes(32L << 30)).build();
    }
}
