package io.orchestry.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.GetNodeRequest;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.Resources;


import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * What the REST gateway adds over calling the registry's gRPC contract directly: the same work
 * (register a node, then read it back) both ways, in the same run, rounds alternating.
 * <ol>
 *   <li>one call at a time: GET /api/v1/nodes/{node} vs GetNode, p50 and p99 (the added latency);</li>
 *   <li>closed loop, 16 in flight: POST + GET vs RegisterNode + GetNode (throughput and its ratio);</li>
 *   <li>open loop at a fixed rate (default 1,000/s): GET vs GetNode, p50/p99 from when each was due.</li>
 * </ol>
 * REST calls carry a stored API token (verified once, then from the gateway's token cache), and
 * each POST writes its audit record before and after it runs, as in production.
 * Run: {@code bench/run gateway [rounds] [seconds-per-round] [rate]}.
 */
public final class GatewayBench {
    private static final String NODE_JSON = "{\"name\":\"%s\",\"driverKind\":\"process\","
            + "\"capacity\":{\"cpuMillis\":2000,\"memoryBytes\":4294967296}}";

    private static volatile String token;

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        System.out.printf(Locale.ROOT, "gateway overhead benchmark: %d rounds of %d s, open loop at %d/s; %d cores, Java %s%n",
                rounds, seconds, rate, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (BenchStack stack = BenchStack.start(root, ServiceKind.REGISTRY, ServiceKind.GATEWAY)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", stack.grpcPort(ServiceKind.REGISTRY))
                    .usePlaintext().build();
            try {
                run(stack, channel, rounds, seconds, rate);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(BenchStack stack, ManagedChannel channel, int rounds, int seconds, int rate) throws Exception {
        RegistryServiceGrpc.RegistryServiceFutureStub grpc = RegistryServiceGrpc.newFutureStub(channel);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + stack.httpPort(ServiceKind.GATEWAY) + "/api/v1/nodes";

        LongFunction<CompletableFuture<?>> restGet = i -> rest(http, authorized(URI.create(base + "/probe")).build(), 200);
        LongFunction<CompletableFuture<?>> grpcGet = i -> LoadDriver.of(grpc.getNode(GetNodeRequest.newBuilder().setName("probe").build()));
        LongFunction<CompletableFuture<?>> restPair = i -> rest(http, authorized(URI.create(base))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(NODE_JSON.formatted("rest-" + System.nanoTime() + "-" + i))).build(), 201)
                .thenCompose(created -> rest(http, authorized(URI.create(base + "/probe")).build(), 200));
        LongFunction<CompletableFuture<?>> grpcPair = i -> LoadDriver.of(grpc.registerNode(RegisterNodeRequest.newBuilder()
                        .setName("grpc-" + System.nanoTime() + "-" + i).setDriverKind(DriverKind.DRIVER_KIND_PROCESS)
                        .setCapacity(Resources.newBuilder().setCpuMillis(2000).setMemoryBytes(4L << 30)).build()))
                .thenCompose(created -> LoadDriver.of(grpc.getNode(GetNodeRequest.newBuilder().setName("probe").build())));

        // measured with a stored admin token, as a script would use it (the bootstrap token would skip the token cache)
        token = BenchStack.BOOTSTRAP_TOKEN;
        String created = rest(http, authorized(URI.create("http://127.0.0.1:" + stack.httpPort(ServiceKind.GATEWAY) + "/api/v1/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench\", \"role\": \"admin\"}")).build(), 201)
                .get(10, TimeUnit.SECONDS).body();
        token = created.replaceAll("(?s).*\"secret\":\"([^\"]+)\".*", "$1");
        rest(http, authorized(URI.create(base)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(NODE_JSON.formatted("probe"))).build(), 201).get(10, TimeUnit.SECONDS);
        System.out.println("warming up (JIT) ...");
        for (int i = 0; i < 2; i++) {
            LoadDriver.closedLoop(Duration.ofSeconds(4), 16, restPair);
            LoadDriver.closedLoop(Duration.ofSeconds(4), 16, grpcPair);
        }

        List<Double> restP50 = new ArrayList<>();
        List<Double> grpcP50 = new ArrayList<>();
        List<Double> restP99 = new ArrayList<>();
        List<Double> grpcP99 = new ArrayList<>();
        List<Double> restOps = new ArrayList<>();
        List<Double> grpcOps = new ArrayList<>();
        long errors = 0;
        for (int round = 1; round <= rounds; round++) {
            LoadDriver.Result g = LoadDriver.closedLoop(Duration.ofSeconds(seconds), 1, grpcGet);
            LoadDriver.Result r = LoadDriver.closedLoop(Duration.ofSeconds(seconds), 1, restGet);
            LoadDriver.Result gp = LoadDriver.closedLoop(Duration.ofSeconds(seconds), 16, grpcPair);
            LoadDriver.Result rp = LoadDriver.closedLoop(Duration.ofSeconds(seconds), 16, restPair);
            errors += g.errors() + r.errors() + gp.errors() + rp.errors();
            grpcP50.add(Latencies.ms(g.latency(), 50));
            restP50.add(Latencies.ms(r.latency(), 50));
            grpcP99.add(Latencies.ms(g.latency(), 99));
            restP99.add(Latencies.ms(r.latency(), 99));
            grpcOps.add(gp.perSecond());
            restOps.add(rp.perSecond());
            System.out.printf(Locale.ROOT, "round %d  one at a time  GetNode %s | REST GET %s%n", round,
                    Latencies.summary(g.latency()), Latencies.summary(r.latency()));
            System.out.printf(Locale.ROOT, "round %d  16 in flight   gRPC register+get %.0f pairs/s (%s) | REST POST+GET %.0f pairs/s (%s)%n",
                    round, gp.perSecond(), Latencies.summary(gp.latency()), rp.perSecond(), Latencies.summary(rp.latency()));
        }
        LoadDriver.Result openGrpc = LoadDriver.openLoop(Duration.ofSeconds(10), rate, 5_000, grpcGet);
        LoadDriver.Result openRest = LoadDriver.openLoop(Duration.ofSeconds(10), rate, 5_000, restGet);
        errors += openGrpc.errors() + openRest.errors();

        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY (medians of %d rounds)%n", rounds);
        System.out.printf(Locale.ROOT, "  one at a time: GetNode p50 %.3f ms p99 %.3f ms | REST GET p50 %.3f ms p99 %.3f ms | REST adds %.3f ms at the median%n",
                Latencies.median(grpcP50), Latencies.median(grpcP99), Latencies.median(restP50), Latencies.median(restP99),
                Latencies.median(restP50) - Latencies.median(grpcP50));
        System.out.printf(Locale.ROOT, "  16 in flight: gRPC %.0f pairs/s | REST %.0f pairs/s | REST/gRPC %.2f%n",
                Latencies.median(grpcOps), Latencies.median(restOps), Latencies.median(restOps) / Latencies.median(grpcOps));
        System.out.printf(Locale.ROOT, "  open loop at %d/s: GetNode %s | REST GET %s%n", rate,
                Latencies.summary(openGrpc.latency()), Latencies.summary(openRest.latency()));
        System.out.printf(Locale.ROOT, "  errors: %d%s%n", errors, errors > 0 ? "  <-- THE RUN HAD ERRORS" : "");
        System.out.printf(Locale.ROOT, "  RSS after the run: registry %d MB, gateway %d MB%n",
                stack.residentKilobytes(ServiceKind.REGISTRY) / 1024, stack.residentKilobytes(ServiceKind.GATEWAY) / 1024);
    }

    /** A request carrying the bench's API token, as every REST call must. */
    private static HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
    }

    private static CompletableFuture<HttpResponse<String>> rest(HttpClient http, HttpRequest request, int expected) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + response.statusCode() + ": " + response.body());
            }
            return response;
        });
    }
}
