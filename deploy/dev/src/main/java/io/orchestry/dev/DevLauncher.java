package io.orchestry.dev;

import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Dev mode, like {@code nomad agent -dev}: a real PostgreSQL (embedded unless
 * {@code DATASOURCES_DEFAULT_URL} names one), then the five services as child JVMs, each on its
 * documented ports, each in its own schema. Ctrl-C or SIGTERM stops them all, then the database,
 * and removes the database's temporary folder.
 *
 * <p>Options: {@code --root DIR} (the repository, default the working directory),
 * {@code --port-offset N} (move every port by N, so that a second stack can run beside the first).
 */
public final class DevLauncher {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Small, quick-starting JVMs: dev mode favours start-up time and memory over peak throughput. */
    public static final List<String> JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:ReservedCodeCacheSize=32m",
            "-Xms16m", "-Xmx128m", "-XX:MaxMetaspaceSize=128m", "-XX:-UsePerfData",
            "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.numHeapArenas=1");

    private final Path root;
    private final int portOffset;
    private final PrintStream out;
    private final Map<ServiceKind, ServiceProcess> services = new EnumMap<>(ServiceKind.class);
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** The gateway's bootstrap admin token: the one the environment gives, or a new random one. */
    private final String adminToken = adminToken();
    private EmbeddedDatabase database;

    DevLauncher(Path root, int portOffset, PrintStream out) {
        this.root = root;
        this.portOffset = portOffset;
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        int portOffset = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--port-offset" -> portOffset = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i] + "; options: --root DIR, --port-offset N");
                    System.exit(2);
                }
            }
        }
        DevLauncher launcher = new DevLauncher(root, portOffset, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.stop();
            stopped.countDown();
        }, "dev-stop"));
        try {
            launcher.start();
        } catch (RuntimeException e) {
            System.err.println("dev mode could not start: " + e.getMessage());
            launcher.stop();
            System.exit(1);
        }
        stopped.await();
    }

    void start() {
        long began = System.nanoTime();
        for (ServiceKind kind : ServiceKind.values()) {
            if (!PortOffsets.allFree(portOffset, kind)) {
                throw new IllegalStateException("a port of " + kind.shortName() + " is taken (HTTP "
                        + kind.httpPort(portOffset) + (kind.grpcPort(portOffset) > 0 ? ", gRPC " + kind.grpcPort(portOffset) : "")
                        + "): is dev mode already running? Use --port-offset N to run another beside it");
            }
        }
        Map<String, String> env = datasourceEnvironment();
        env.put("MICRONAUT_ENVIRONMENTS", "dev");
        // glibc's per-thread malloc arenas inflate the resident size of a JVM with many threads
        env.put("MALLOC_ARENA_MAX", "2");
        env.put("ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN", adminToken);
        for (ServiceKind kind : ServiceKind.values()) {
            if (kind.grpcPort(portOffset) > 0) {
                env.put("ORCHESTRY_GATEWAY_" + kind.shortName().toUpperCase(Locale.ROOT), "127.0.0.1:" + kind.grpcPort(portOffset));
            }
        }
        Map<ServiceKind, Long> readyMillis = new EnumMap<>(ServiceKind.class);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceKind kind : ServiceKind.values()) {
            long serviceBegan = System.nanoTime();
            ServiceProcess process = ServiceProcess.start(kind, root, portOffset, env, JVM_OPTIONS,
                    line -> out.println(pad("[" + kind.shortName() + "]") + line));
            synchronized (services) {
                services.put(kind, process);
            }
            ready.add(CompletableFuture.runAsync(() -> {
                process.awaitReady(READY_TIMEOUT);
                synchronized (readyMillis) {
                    readyMillis.put(kind, (System.nanoTime() - serviceBegan) / 1_000_000);
                }
            }));
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        long total = (System.nanoTime() - began) / 1_000_000;
        for (ServiceProcess process : services.values()) {
            stopAllWhenItExitsOnItsOwn(process);
        }
        printSummary(readyMillis, total);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // onExit().thenRun is a listener: its callback exits the JVM, nothing waits for it
    private void stopAllWhenItExitsOnItsOwn(ServiceProcess process) {
        process.onExit().thenRun(() -> {
            if (!stopping.get()) {
                out.println(pad("[dev]") + process.kind().shortName() + " exited on its own: stopping dev mode");
                System.exit(1);
            }
        });
    }

    /** Where the services find PostgreSQL: the one the environment names, or an embedded one started now. */
    private Map<String, String> datasourceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        String url = System.getenv("DATASOURCES_DEFAULT_URL");
        if (url != null && !url.isBlank()) {
            out.println(pad("[dev]") + "using the PostgreSQL of DATASOURCES_DEFAULT_URL: " + url);
            return env; // the children inherit DATASOURCES_DEFAULT_URL, _USERNAME and _PASSWORD
        }
        long began = System.nanoTime();
        database = EmbeddedDatabase.start(0);
        String jdbcUrl = database.createDatabase("orchestry");
        out.println(pad("[dev]") + "embedded PostgreSQL ready in " + (System.nanoTime() - began) / 1_000_000
                + " ms at " + jdbcUrl + " (data in " + database.dataDirectory() + ", removed on exit)");
        env.put("DATASOURCES_DEFAULT_URL", jdbcUrl);
        env.put("DATASOURCES_DEFAULT_USERNAME", database.username());
        env.put("DATASOURCES_DEFAULT_PASSWORD", database.password());
        return env;
    }

    private static String adminToken() {
        String given = System.getenv("ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN");
        if (given != null && !given.isBlank()) {
            return given;
        }
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        return "orch_dev_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private void printSummary(Map<ServiceKind, Long> readyMillis, long total) {
        out.println();
        out.println("Orchestry dev mode is up in " + total + " ms.");
        out.printf("  %-12s %-8s %-22s %-22s %-10s %s%n", "service", "pid", "gRPC", "HTTP", "ready in", "RSS");
        for (ServiceProcess process : services.values()) {
            ServiceKind kind = process.kind();
            out.printf("  %-12s %-8d %-22s %-22s %-10s %d MB%n", kind.shortName(), process.pid(),
                    process.grpcPort() > 0 ? "127.0.0.1:" + process.grpcPort() : "-",
                    "http://127.0.0.1:" + process.httpPort(), readyMillis.get(kind) + " ms",
                    process.residentKilobytes() / 1024);
        }
        if (database != null) {
            out.printf("  %-12s %-8s %s%n", "postgres", "-", database.jdbcUrl("orchestry"));
        }
        int gateway = ServiceKind.GATEWAY.httpPort(portOffset);
        out.println();
        out.println("Admin token (cluster-wide; set ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN to choose it):");
        out.println("  " + adminToken);
        out.println("API explorer: http://127.0.0.1:" + gateway + "/swagger-ui  (Authorize with the token above)");
        out.println();
        out.println("Try:");
        out.println("  export ORCHESTRY_TOKEN=" + adminToken);
        out.println("  curl -s -XPOST localhost:" + gateway + "/api/v1/nodes -H \"Authorization: Bearer $ORCHESTRY_TOKEN\" \\");
        out.println("    -H 'Content-Type: application/json' \\");
        out.println("    -d '{\"name\":\"laptop\",\"driverKind\":\"process\",\"capacity\":{\"cpuMillis\":2000,\"memoryBytes\":4294967296}}'");
        out.println("  curl -s localhost:" + gateway + "/api/v1/nodes/laptop -H \"Authorization: Bearer $ORCHESTRY_TOKEN\"");
        out.println("Ctrl-C stops everything.");
        out.println("DEV MODE READY");
        out.flush();
    }

    /** Stops every service (in parallel, each SIGTERM then SIGKILL after a grace period), then the database. */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        out.println(pad("[dev]") + "stopping");
        List<ServiceProcess> running;
        synchronized (services) {
            running = new ArrayList<>(services.values());
        }
        CompletableFuture.allOf(running.stream()
                .map(process -> CompletableFuture.runAsync(process::close))
                .toArray(CompletableFuture[]::new)).join();
        if (database != null) {
            Path data = database.dataDirectory();
            database.close();
            out.println(pad("[dev]") + "PostgreSQL stopped" + (Files.exists(data) ? "; could not remove " + data : " and its data removed"));
        }
        out.println(pad("[dev]") + "stopped");
        out.flush();
    }

    private static String pad(String tag) {
        return String.format("%-14s", tag);
    }
}
