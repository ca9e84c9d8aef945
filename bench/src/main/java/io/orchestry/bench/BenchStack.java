package io.orchestry.bench;

import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The services a benchmark measures, started for real: an embedded PostgreSQL and each service
 * as its own JVM at a free port offset, with server JVM settings (full JIT, not dev mode's quick
 * start). Everything is stopped by {@link #close()}, which a shutdown hook also calls.
 */
final class BenchStack implements AutoCloseable {
    /** The gateway's configured cluster-wide admin token in benchmarks. */
    static final String BOOTSTRAP_TOKEN = "bench-bootstrap-token-0123456789abcdef";
    static final List<String> SERVER_JVM = List.of("-XX:+UseParallelGC", "-Xms256m", "-Xmx768m");
    /** The first line of a logged exception and its causes (what a WARN's own line does not say), not its frames. */
    private static final java.util.regex.Pattern EXCEPTION_HEADING =
            java.util.regex.Pattern.compile("^(Caused by: )?[\\w$.]+(Exception|Error)(: .*)?$");

    private final EmbeddedDatabase database;
    private final Map<ServiceKind, ServiceProcess> services = new EnumMap<>(ServiceKind.class);
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private final Path root;
    private final int offset;
    private boolean closed;

    private BenchStack(EmbeddedDatabase database, Path root, int offset) {
        this.database = database;
        this.root = root;
        this.offset = offset;
    }

    static BenchStack start(Path root, ServiceKind... kinds) {
        return start(root, List.of(), kinds);
    }

    /** @param settings extra {@code NAME=value} environment for every service the stack starts */
    static BenchStack start(Path root, List<String> settings, ServiceKind... kinds) {
        int offset = PortOffsets.findFree(kinds);
        BenchStack stack = new BenchStack(EmbeddedDatabase.start(0), root, offset);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-stop"));
        Map<String, String> env = stack.env;
        env.put("DATASOURCES_DEFAULT_URL", stack.database.createDatabase("bench"));
        env.put("DATASOURCES_DEFAULT_USERNAME", stack.database.username());
        env.put("DATASOURCES_DEFAULT_PASSWORD", stack.database.password());
        env.put("DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE", "16");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        env.put("ORCHESTRY_REGISTRY_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(key));
        new SecureRandom().nextBytes(key);
        env.put("ORCHESTRY_DATABASES_SECRETS_KEY", Base64.getEncoder().encodeToString(key));
        env.put("ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN", BOOTSTRAP_TOKEN);
        // the benchmarks drive one token far past the default 500 requests/s; the limiter stays in the path
        env.put("ORCHESTRY_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "1000000");
        env.put("ORCHESTRY_GATEWAY_REGISTRY", "127.0.0.1:" + ServiceKind.REGISTRY.grpcPort(offset));
        env.put("ORCHESTRY_PROVISIONER_REGISTRY", "127.0.0.1:" + ServiceKind.REGISTRY.grpcPort(offset));
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            env.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        try {
            for (ServiceKind kind : kinds) {
                stack.services.put(kind, stack.launch(kind, offset, kind.shortName()));
            }
            for (ServiceProcess process : stack.services.values()) {
                process.awaitReady(Duration.ofMinutes(2));
            }
        } catch (RuntimeException failedStart) {
            stack.close();
            throw failedStart;
        }
        return stack;
    }

    private ServiceProcess launch(ServiceKind kind, int portOffset, String label) {
        return ServiceProcess.start(kind, root, portOffset, env, SERVER_JVM, line -> {
            if (line.contains(" ERROR ") || line.contains(" WARN ") || EXCEPTION_HEADING.matcher(line).matches()) {
                System.out.println("  [" + label + "] " + line);
            }
        });
    }

    /**
     * Starts one more replica of {@code kind} on the same database, at ports of its own, and waits
     * until it is ready. It is stopped with the stack unless the caller kills it first.
     */
    synchronized ServiceProcess startReplica(ServiceKind kind) {
        // the ports of every running service are bound, so a free set is nobody's
        int replicaOffset = PortOffsets.findFree(kind);
        ServiceProcess process = launch(kind, replicaOffset, kind.shortName() + "@" + kind.grpcPort(replicaOffset));
        replicas.add(process);
        process.awaitReady(Duration.ofMinutes(2));
        return process;
    }

    ServiceProcess service(ServiceKind kind) {
        return services.get(kind);
    }

    int grpcPort(ServiceKind kind) {
        return kind.grpcPort(offset);
    }

    int httpPort(ServiceKind kind) {
        return kind.httpPort(offset);
    }



    long residentKilobytes(ServiceKind kind) {
        return services.get(kind).residentKilobytes();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ServiceProcess> running = new ArrayList<>(services.values());
        running.addAll(replicas);
        services.clear();
        replicas.clear();
        running.forEach(ServiceProcess::close);
        try {
            database.close();
        } catch (RuntimeException alreadyStopped) {
            // closed by an earlier call
        }
    }
}
