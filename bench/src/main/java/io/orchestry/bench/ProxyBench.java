package io.orchestry.bench;

import io.orchestry.proxy.v1.CreateRouteRequest;
import io.orchestry.proxy.v1.ProxyStatus;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The proxy's figures (issue 11), each against a baseline measured in the same run: proxy-service JVMs started by
 * {@link BenchStack}, each with its own embedded PostgreSQL, its own managed nginx and its own
 * {@link ProxyBenchProvisioner} (the proxy's upstreams come from it: the benchmark starts at "the instance is
 * healthy"), routing to demo-app processes on 127.0.0.1. One proxy has {@code ORCHESTRY_PROXY_NGINX_LUA=auto} (the
 * Lua balancer: replica changes without a reload), the other {@code off} (static upstreams: a reload per change), the
 * baseline for "no reload".
 * <ol>
 *   <li>replica change → served / not served, both proxies ({@link ProxyReplicaRounds}); worker pids and revisions;</li>
 *   <li>route created / path updated → served ({@link ProxyRouteRounds});</li>
 *   <li>failed requests at 500/s over {@code reloads} ReloadProxy calls, against the same load without reloads
 *       ({@link ProxyReloadLoad});</li>
 *   <li>closed-loop throughput to one demo app directly and through each nginx ({@link ProxyThroughput}).</li>
 * </ol>
 * Run: {@code bench/run proxy [rounds=3] [changes=50] [reloads=1000]}.
 */
public final class ProxyBench {
    static final String APP = "web";
    static final String PROJECT = "bench-proxy";
    static final String HOST = "bench.local";
    static final int RATE = 500;
    private static final List<String> INSTANCES = List.of("orchestry-web-1-0", "orchestry-web-1-1", "orchestry-web-1-2", "orchestry-web-1-3");

    private ProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int reloads = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        Optional<Path> nginx = nginx();
        if (nginx.isEmpty()) {
            System.out.println("proxy benchmark: no nginx on PATH or at /usr/sbin/nginx; it measures nginx routing, so it cannot run here");
            return;
        }
        System.out.printf(Locale.ROOT, "proxy benchmark: %d rounds, %d replica changes and %d route changes a round, %d reloads at %d req/s;"
                        + " nginx %s; %d cores, Java %s%n", rounds, changes, changes, reloads, RATE, nginx.get(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (ProxyUpstreamProcesses upstreams = ProxyUpstreamProcesses.start(root.resolve("demo-app/target/demo-app.jar"), APP, PROJECT, INSTANCES);
             ProxyWorld lua = ProxyWorld.start(root, "lua", "auto", nginx.get().toString());
             ProxyWorld plain = ProxyWorld.start(root, "static", "off", nginx.get().toString())) {
            run(upstreams, lua, plain, rounds, changes, reloads);
        }
    }

    private static void run(ProxyUpstreamProcesses processes, ProxyWorld lua, ProxyWorld plain, int rounds, int changes, int reloads)
            throws Exception {
        List<ProxyUpstreamProcesses.Upstream> upstreams = processes.upstreams();
        ProxyUpstreamProcesses.Upstream base = upstreams.get(0);
        List<ProxyUpstreamProcesses.Upstream> spares = upstreams.subList(1, upstreams.size());
        for (ProxyWorld world : List.of(lua, plain)) {
            setUp(world, base);
        }
        if (!lua.luaBalancer()) {
            System.out.println("  NOTE: the 'lua' proxy's configuration has no balancer_by_lua: its nginx lacks the Lua module, so both"
                    + " proxies reload for replica changes");
        }
        System.out.println("warming up (JIT): 10 replica changes on each proxy, 5 route changes ...");
        ProxyReplicaRounds.run(lua, spares, 10);
        ProxyReplicaRounds.run(plain, spares, 10);
        ProxyRouteRounds.run(lua, 0, 5);

        ProxyFigures luaAdded = new ProxyFigures();
        ProxyFigures luaRemoved = new ProxyFigures();
        ProxyFigures plainAdded = new ProxyFigures();
        ProxyFigures plainRemoved = new ProxyFigures();
        ProxyFigures routeCreated = new ProxyFigures();
        ProxyFigures routeUpdated = new ProxyFigures();
        ProxyFigures createAnswered = new ProxyFigures();
        List<ProxyReplicaRounds.Result> luaRounds = new ArrayList<>();
        List<ProxyReplicaRounds.Result> plainRounds = new ArrayList<>();
        int routeTimeouts = 0;
        List<Double> direct = new ArrayList<>();
        List<Double> viaLua = new ArrayList<>();
        List<Double> viaPlain = new ArrayList<>();
        long throughputErrors = 0;
        ProxyThroughput throughput = new ProxyThroughput(10);
        System.out.println("throughput: " + throughput.tool());
        for (int round = 1; round <= rounds; round++) {
            // the order alternates, so that neither side always runs on a machine the other has just warmed
            for (ProxyWorld world : round % 2 == 1 ? List.of(lua, plain) : List.of(plain, lua)) {
                ProxyReplicaRounds.Result r = ProxyReplicaRounds.run(world, spares, changes);
                System.out.println("round " + round + " " + ProxyReplicaRounds.describe(world.name + " replicas", r));
                (world == lua ? luaRounds : plainRounds).add(r);
                (world == lua ? luaAdded : plainAdded).add(r.added());
                (world == lua ? luaRemoved : plainRemoved).add(r.removed());
            }
            ProxyRouteRounds.Result routes = ProxyRouteRounds.run(lua, round, changes);
            System.out.println(ProxyRouteRounds.describe(round, routes));
            routeCreated.add(routes.created());
            routeUpdated.add(routes.updated());
            createAnswered.add(routes.createAnswered());
            routeTimeouts += routes.timeouts();

            ProxyThroughput.Result d = throughput.run(base.port(), "127.0.0.1");
            ProxyThroughput.Result l = throughput.run(lua.httpPort, HOST);
            ProxyThroughput.Result p = throughput.run(plain.httpPort, HOST);
            direct.add(d.perSecond());
            viaLua.add(l.perSecond());
            viaPlain.add(p.perSecond());
            throughputErrors += d.errors() + l.errors() + p.errors();
            System.out.printf(Locale.ROOT, "round %d throughput: %s | %s | %s%n", round, ProxyThroughput.describe("direct", d),
                    ProxyThroughput.describe("via nginx (lua)", l), ProxyThroughput.describe("via nginx (static)", p));
            processes.checkAlive();
        }

        System.out.printf(Locale.ROOT, "reloads: %d s of %d req/s without reloads (baseline), then the same load over %d ReloadProxy calls ...%n",
                ProxyReloadLoad.BASELINE_SECONDS, RATE, reloads);
        ProxyReloadLoad.Result quiet = ProxyReloadLoad.baseline(lua.httpPort, RATE);
        System.out.println(ProxyReloadLoad.describe("no reloads", quiet));
        List<Long> workersBefore = lua.workerPids();
        ProxyReloadLoad.Result reloading = ProxyReloadLoad.run(lua, RATE, reloads);
        System.out.println(ProxyReloadLoad.describe(reloads + " reloads", reloading));
        System.out.println("  workers " + workersBefore + " → " + lua.workerPids());

        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY (medians of %d rounds; latencies p50 / p95 / p99 / max)%n", rounds);
        System.out.printf(Locale.ROOT, "| what | Lua balancer (auto) | static upstreams (lua=off), same run | target |%n|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| replica healthy → served | %s | %s | %s, no reload |%n", luaAdded.medians(), plainAdded.medians(),
                luaAdded.verdict(100));
        System.out.printf(Locale.ROOT, "| replica unhealthy/deleted → not served | %s | %s | %s |%n", luaRemoved.medians(), plainRemoved.medians(),
                luaRemoved.verdict(100));
        System.out.printf(Locale.ROOT, "| worker pids unchanged over a round | %s | %s | Lua: all rounds |%n", unchanged(luaRounds), unchanged(plainRounds));
        System.out.printf(Locale.ROOT, "| revisions rendered per change (add + remove) | %s | %s | Lua: 0 |%n", revisions(luaRounds), revisions(plainRounds));
        System.out.printf(Locale.ROOT, "| timeouts / failed poll requests / stale keep-alive retries | %s | %s | 0 |%n", polls(luaRounds), polls(plainRounds));
        System.out.printf(Locale.ROOT, "| route created → served | %s | | %s |%n", routeCreated.medians(), routeCreated.verdict(500));
        System.out.printf(Locale.ROOT, "| route path updated → served | %s | | %s |%n", routeUpdated.medians(), routeUpdated.verdict(500));
        System.out.printf(Locale.ROOT, "| CreateRoute answered (applied and probed) | %s | | |%n", createAnswered.medians());
        System.out.printf(Locale.ROOT, "| route changes not served within 15 s | %d | | 0 |%n", routeTimeouts);
        double d = Latencies.median(direct);
        System.out.printf(Locale.ROOT, "| closed-loop throughput, direct to one demo app = %.0f req/s | via nginx %.0f req/s = %.2f× | via nginx %.0f req/s = %.2f× | >= 0.8× (errors %d) |%n",
                d, Latencies.median(viaLua), Latencies.median(viaLua) / d, Latencies.median(viaPlain), Latencies.median(viaPlain) / d, throughputErrors);
        System.out.printf(Locale.ROOT, "| failed requests at %d/s over %d reloads | %d of %d (retries %d), p99 %.1f ms | baseline without reloads: %d of %d (retries %d), p99 %.1f ms | 0 |%n",
                RATE, reloading.reloads(), reloading.failed(), reloading.requests(), reloading.retries(), Latencies.ms(reloading.latency(), 99),
                quiet.failed(), quiet.requests(), quiet.retries(), Latencies.ms(quiet.latency(), 99));
    }

    /** The app and its base instance on the world's provisioner, nginx running, the route for {@link #HOST} served. */
    private static void setUp(ProxyWorld world, ProxyUpstreamProcesses.Upstream base) throws Exception {
        world.provisioner.addApp(APP, PROJECT);
        world.provisioner.healthy(APP, base.instance(), base.port(), base.pid());
        ProxyStatus status = world.awaitNginx(Duration.ofSeconds(60));
        world.proxy().createRoute(CreateRouteRequest.newBuilder().setApp(APP).addHosts(HOST).setPortName("http").build());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (ProxyHttpConnection connection = new ProxyHttpConnection(world.httpPort, Duration.ofSeconds(5))) {
            while (true) {
                try {
                    if (base.instance().equals(connection.get(HOST, "/").instance()) && world.provisioner.openWatches() > 0) {
                        break;
                    }
                } catch (IOException notYet) {
                    // nginx is reloading
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(world.name + ": " + HOST + " is not served by " + base.instance() + " after 60 s"
                            + " (watches open on the bench's provisioner: " + world.provisioner.openWatches() + ")");
                }
                Thread.sleep(50);
            }
        }
        System.out.printf(Locale.ROOT, "%s proxy: pid %d, nginx %s pid %d on 127.0.0.1:%d, %s; workers %s; %s served%n", world.name,
                world.proxyPid(), status.getNginxVersion(), status.getPid(), world.httpPort,
                world.luaBalancer() ? "Lua balancer" : "static upstreams", world.workerPids(), HOST);
    }

    private static String unchanged(List<ProxyReplicaRounds.Result> rounds) {
        return rounds.stream().filter(ProxyReplicaRounds.Result::workersUnchanged).count() + " of " + rounds.size();
    }

    private static String revisions(List<ProxyReplicaRounds.Result> rounds) {
        long revisions = rounds.stream().mapToLong(ProxyReplicaRounds.Result::revisions).sum();
        long changes = rounds.stream().mapToLong(r -> 2L * r.changes()).sum();
        return String.format(Locale.ROOT, "%.2f (%d for %d)", changes == 0 ? 0 : (double) revisions / changes, revisions, changes);
    }

    private static String polls(List<ProxyReplicaRounds.Result> rounds) {
        return rounds.stream().mapToLong(ProxyReplicaRounds.Result::timeouts).sum() + " / "
                + rounds.stream().mapToLong(ProxyReplicaRounds.Result::failedRequests).sum() + " / "
                + rounds.stream().mapToLong(ProxyReplicaRounds.Result::retries).sum();
    }

    private static Optional<Path> nginx() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path debian = Path.of("/usr/sbin/nginx");
        return Files.isExecutable(debian) ? Optional.of(debian) : Optional.empty();
    }
}
