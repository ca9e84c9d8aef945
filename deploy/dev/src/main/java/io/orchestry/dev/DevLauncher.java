package io.orchestry.dev;

import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.RestartBackoff;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;
import io.orchestry.launcher.Supervisor;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Dev mode, like {@code nomad agent -dev}: a real PostgreSQL (embedded unless
 * {@code DATASOURCES_DEFAULT_URL} names one), then the five services as child JVMs, each on its
 * documented ports, each in its own schema, and this machine registered as nodes. A service that
 * exits on its own is started again (with a backoff). Ctrl-C or SIGTERM stops them all, then the
 * database; the state is removed unless it lives in a {@code --data-dir}.
 *
 * <p>Options: {@code --root DIR} (the repository, default the working directory),
 * {@code --port-offset N} (move every port by N, so that a second stack can run beside the first),
 * {@code --data-dir DIR} (or env {@code ORCHESTRY_DATA_DIR}: keep the database, the process driver's
 * work folder, the proxy's folder and the admin token there, for the next start).
 *
 * <p>The proxy service runs nginx when there is one ({@link DevNginx}): on 127.0.0.1:8088 (HTTPS 8443,
 * Lua control 8089), moved by the port offset; without it routes are stored, not served.
 */
public final class DevLauncher {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Small, quick-starting JVMs: dev mode favours start-up time and memory over peak throughput. */
    public static final List<String> JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:ReservedCodeCacheSize=32m",
            "-Xms16m", "-Xmx128m", "-XX:MaxMetaspaceSize=128m", "-XX:-UsePerfData",
            "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.numHeapArenas=1");

    private final DevOptions options;
    private final PrintStream out;
    private final Map<ServiceKind, Supervisor<ServiceProcess>> services = new EnumMap<>(ServiceKind.class);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Supervisor.Scheduler scheduler = Supervisor.daemonScheduler();
    private StateFolder state;
    private EmbeddedDatabase database;
    private DevNginx nginx;

    DevLauncher(DevOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        Path defaultRoot = Path.of(System.getProperty("orchestry.root", "."));
        DevOptions options;
        try {
            options = DevOptions.parse(args, System.getenv(), defaultRoot);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        DevLauncher launcher = new DevLauncher(options, System.out);
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
        // the lock first: a second dev mode on the same data dir stops here, before it touches anything
        state = options.dataDir().map(StateFolder::kept).orElseGet(StateFolder::temporary);
        int offset = options.portOffset();
        for (ServiceKind kind : ServiceKind.values()) {
            if (!PortOffsets.allFree(offset, kind)) {
                throw new IllegalStateException("a port of " + kind.shortName() + " is taken (HTTP "
                        + kind.httpPort(offset) + (kind.grpcPort(offset) > 0 ? ", gRPC " + kind.grpcPort(offset) : "")
                        + "): is dev mode already running? Use --port-offset N to run another beside it");
            }
        }
        nginx = DevNginx.find(System.getenv("PATH"), DevNginx.FALLBACKS, offset);
        if (nginx.found()) {
            for (int port : nginx.ports()) {
                if (!PortOffsets.isFree(port)) {
                    throw new IllegalStateException("nginx's port " + port + " is taken (HTTP " + nginx.httpPort() + ", HTTPS "
                            + nginx.httpsPort() + ", control " + nginx.controlPort() + "): is dev mode already running? Use"
                            + " --port-offset N to run another beside it");
                }
            }
            out.println(pad("[dev]") + "nginx " + nginx.binary().orElseThrow() + ": the proxy service runs it on 127.0.0.1:"
                    + nginx.httpPort());
        } else {
            out.println(pad("[dev]") + DevNginx.NOT_FOUND + " (install nginx, with libnginx-mod-http-lua for reload-free"
                    + " replica changes)");
        }
        CompletableFuture<Optional<DockerEngine.Info>> docker = CompletableFuture.supplyAsync(DockerEngine::probe);
        String adminToken = state.adminToken(Optional.ofNullable(System.getenv("ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN")));
        Map<String, String> env = serviceEnvironment(adminToken);
        Map<ServiceKind, Long> readyMillis = new EnumMap<>(ServiceKind.class);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        CompletableFuture<List<LocalNodes.Registration>> nodes = null;
        for (ServiceKind kind : ServiceKind.values()) {
            long serviceBegan = System.nanoTime();
            Supervisor<ServiceProcess> supervisor = new Supervisor<>(kind.module(),
                    () -> ServiceProcess.start(kind, options.root(), offset, env, JVM_OPTIONS,
                            line -> out.println(pad("[" + kind.shortName() + "]") + line)),
                    line -> out.println(pad("[dev]") + line), this::awaitReadyAgain,
                    Clock.systemUTC(), scheduler, new RestartBackoff());
            synchronized (services) {
                if (stopping.get()) {
                    throw new IllegalStateException("stopped while starting");
                }
                services.put(kind, supervisor);
            }
            ServiceProcess process = supervisor.start();
            CompletableFuture<Void> up = CompletableFuture.runAsync(() -> {
                process.awaitReady(READY_TIMEOUT);
                synchronized (readyMillis) {
                    readyMillis.put(kind, (System.nanoTime() - serviceBegan) / 1_000_000);
                }
            });
            ready.add(up);
            if (kind == ServiceKind.REGISTRY) {
                nodes = up.thenCombine(docker, (registryUp, engine) ->
                        LocalNodes.register(kind.grpcPort(offset), LocalNodes.offers(engine)));
            }
        }
        List<LocalNodes.Registration> registered;
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
            registered = nodes.join();
        } catch (CompletionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        List<ServiceProcess> running = new ArrayList<>();
        synchronized (services) {
            services.values().forEach(supervisor -> running.add(supervisor.current()));
        }
        Banner.print(out, (System.nanoTime() - began) / 1_000_000, running, readyMillis,
                database == null ? null : database.jdbcUrl("orchestry"), registered, stateLine(), adminToken,
                ServiceKind.GATEWAY.httpPort(offset), nginx);
    }

    /** What every service is given: its database, the token, and where each service it calls listens. */
    private Map<String, String> serviceEnvironment(String adminToken) {
        int offset = options.portOffset();
        Map<String, String> env = datasourceEnvironment();
        env.put("MICRONAUT_ENVIRONMENTS", "dev");
        // glibc's per-thread malloc arenas inflate the resident size of a JVM with many threads
        env.put("MALLOC_ARENA_MAX", "2");
        env.put("ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN", adminToken);
        for (ServiceKind kind : ServiceKind.values()) {
            if (kind.grpcPort(offset) > 0) {
                env.put("ORCHESTRY_GATEWAY_" + kind.shortName().toUpperCase(Locale.ROOT), "127.0.0.1:" + kind.grpcPort(offset));
            }
        }
        env.put("ORCHESTRY_PROVISIONER_REGISTRY", "127.0.0.1:" + ServiceKind.REGISTRY.grpcPort(offset));
        env.put("ORCHESTRY_PROXY_PROVISIONER", "127.0.0.1:" + ServiceKind.PROVISIONER.grpcPort(offset));
        env.put("ORCHESTRY_SCALER_PROVISIONER", "127.0.0.1:" + ServiceKind.PROVISIONER.grpcPort(offset));
        env.put("ORCHESTRY_SCALER_PROXY", "127.0.0.1:" + ServiceKind.PROXY.grpcPort(offset));
        env.put("ORCHESTRY_PROCESS_WORK_DIR", state.processWorkDirectory().toString());
        // keys kept in the data folder (a key the environment gives wins), so sealed secrets open after a restart
        for (String[] key : new String[][] {{"ORCHESTRY_REGISTRY_CREDENTIALS_KEY", "credentials.key"},
                {"ORCHESTRY_DATABASES_SECRETS_KEY", "databases.key"}, {"ORCHESTRY_PROXY_SECRETS_KEY", "proxy.key"}}) {
            String given = System.getenv(key[0]);
            env.put(key[0], given != null && !given.isBlank() ? given : state.sealingKey(key[1]));
        }
        env.putIfAbsent("ORCHESTRY_DATABASES_BACKUP_FOLDER", state.backupDirectory().toString());
        // the proxy's nginx: its prefix, revisions, certificates and keys, access log in <data>/proxy
        nginx.environment(state.proxyDirectory()).forEach(env::putIfAbsent);
        return env;
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
        String jdbcUrl;
        if (state.kept()) {
            database = EmbeddedDatabase.startIn(state.postgresDirectory(), 0);
            jdbcUrl = database.ensureDatabase("orchestry");
        } else {
            database = EmbeddedDatabase.start(0);
            jdbcUrl = database.createDatabase("orchestry");
        }
        out.println(pad("[dev]") + "embedded PostgreSQL ready in " + (System.nanoTime() - began) / 1_000_000
                + " ms at " + jdbcUrl + " (data in " + database.dataDirectory()
                + (database.kept() ? ", kept)" : ", removed on exit)"));
        env.put("DATASOURCES_DEFAULT_URL", jdbcUrl);
        env.put("DATASOURCES_DEFAULT_USERNAME", database.username());
        env.put("DATASOURCES_DEFAULT_PASSWORD", database.password());
        return env;
    }

    private String stateLine() {
        return state.kept()
                ? "State kept in " + state.folder() + " (database, process work folder, proxy folder, admin token): the next start with it finds it all."
                : "State in " + state.folder() + " and the database folder: removed at exit (--data-dir DIR keeps it).";
    }

    /** A service started again after it exited: say when it answers again (off the scheduler's thread). */
    @SuppressWarnings("FutureReturnValueIgnored") // a log line when the service is back: nothing waits for it
    private void awaitReadyAgain(ServiceProcess process) {
        long began = System.nanoTime();
        CompletableFuture.runAsync(() -> {
            try {
                process.awaitReady(READY_TIMEOUT);
                out.println(pad("[dev]") + process.kind().module() + " is ready again in " + (System.nanoTime() - began) / 1_000_000
                        + " ms (pid " + process.pid() + ")");
            } catch (IllegalStateException e) {
                if (!stopping.get()) {
                    out.println(pad("[dev]") + process.kind().module() + " did not become ready: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        });
    }

    /** Stops every service (in parallel, each SIGTERM then SIGKILL after a grace period), then the database. */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        out.println(pad("[dev]") + "stopping");
        List<Supervisor<ServiceProcess>> running;
        synchronized (services) {
            running = new ArrayList<>(services.values());
        }
        // first tell every supervisor, since a Ctrl-C in the terminal reaches the services at once too
        running.forEach(Supervisor::stopRestarting);
        CompletableFuture.allOf(running.stream()
                .map(supervisor -> CompletableFuture.runAsync(supervisor::close))
                .toArray(CompletableFuture[]::new)).join();
        if (database != null) {
            Path data = database.dataDirectory();
            database.close();
            out.println(pad("[dev]") + "PostgreSQL stopped" + (database.kept() ? "; its data kept in " + data
                    : Files.exists(data) ? "; could not remove " + data : " and its data removed"));
        }
        if (state != null) {
            state.close();
        }
        out.println(pad("[dev]") + "stopped");
        out.flush();
    }

    private static String pad(String tag) {
        return String.format("%-14s", tag);
    }
}
