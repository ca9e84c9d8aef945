package io.orchestry.bench;

import io.orchestry.provisioner.runtime.database.ServerSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL container started by hand, the docker baseline of the databases benchmark: a new named volume and
 * {@code docker run -d --pull never} of the image with its port published on 127.0.0.1, the environment the image
 * reads ({@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}, {@code POSTGRES_DB}; the password passes through the
 * client's environment, never its command line), the memory and CPU limits and the settings Orchestry gives a server
 * of the same size. Container and volume carry the label {@link #LABEL} with this run's id; {@link #close()} removes
 * both, {@link #removeAll(String)} whatever a failed run left.
 */
final class BareContainer implements CreateRounds.BareServer {
    static final String IMAGE = "orchestry/postgres:15";
    static final String LABEL = "orchestry.bench";
    static final String USER = "bench";
    private static final Duration LIMIT = Duration.ofMinutes(1);

    private final String name;
    private final int port;
    private boolean closed;

    private BareContainer(String name, int port) {
        this.name = name;
        this.port = port;
    }

    /** Why the docker baseline cannot run here; null when it can. */
    static String unavailable() {
        if (!SecondEngine.machineEngineAnswers()) {
            return "no Docker Engine answers at /var/run/docker.sock (docker info failed)";
        }
        if (!SecondEngine.run(List.of("docker", "image", "inspect", IMAGE), LIMIT).ok()) {
            return "the image " + IMAGE + " is missing (build it with deploy/images/build postgres)";
        }
        return null;
    }

    /** Creates the volume and runs the container; returns once {@code docker run -d} did (the caller polls a login). */
    static BareContainer start(String runId, int round, String password, long memoryBytes, long cpuMillis) {
        String name = "orchbench-db-" + runId + "-" + round;
        BareContainer container = new BareContainer(name, BarePostgres.freePort());
        try {
            check(docker("volume", "create", "--label", LABEL + "=" + runId, name), "docker volume create");
            List<String> run = new ArrayList<>(List.of("docker", "run", "-d", "--pull", "never", "--name", name,
                    "--label", LABEL + "=" + runId, "-v", name + ":/var/lib/postgresql/data",
                    "-p", "127.0.0.1:" + container.port + ":5432",
                    "--memory", Long.toString(memoryBytes), "--cpus", String.format(java.util.Locale.ROOT, "%.3f", cpuMillis / 1000.0),
                    "-e", "POSTGRES_USER=" + USER, "-e", "POSTGRES_PASSWORD", "-e", "POSTGRES_DB=" + USER, IMAGE));
            ServerSettings.forMemory(memoryBytes).forEach((setting, value) -> run.addAll(List.of("-c", setting + "=" + value)));
            check(SecondEngine.run(run, Map.of("POSTGRES_PASSWORD", password), LIMIT), "docker run");
        } catch (RuntimeException failed) {
            container.close();
            throw failed;
        }
        return container;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String database() {
        return USER;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        docker("rm", "-f", "-v", name);
        docker("volume", "rm", "-f", name);
    }

    /** Removes every container and volume labelled with this run's id; how many of each there were. */
    static String removeAll(String runId) {
        String filter = "label=" + LABEL + "=" + runId;
        List<String> containers = ids(docker("ps", "-aq", "--filter", filter));
        containers.forEach(id -> docker("rm", "-f", "-v", id));
        List<String> volumes = ids(docker("volume", "ls", "-q", "--filter", filter));
        volumes.forEach(id -> docker("volume", "rm", "-f", id));
        return containers.size() + " containers, " + volumes.size() + " volumes";
    }

    /** What Orchestry left of a project's database on the machine's engine: containers and volumes with its labels. */
    static List<String> leftovers(String project) {
        String filter = "label=orchestry.project=" + project;
        List<String> left = new ArrayList<>();
        ids(docker("ps", "-a", "--format", "{{.Names}}", "--filter", filter, "--filter", "label=orchestry.type=postgres"))
                .forEach(c -> left.add("container " + c));
        ids(docker("volume", "ls", "-q", "--filter", filter)).forEach(v -> left.add("volume " + v));
        return left;
    }

    private static List<String> ids(SecondEngine.Result result) {
        return result.ok() ? Arrays.stream(result.output().split("\\s+")).filter(s -> !s.isBlank()).toList() : List.of();
    }

    private static SecondEngine.Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return SecondEngine.run(command, LIMIT);
    }

    private static void check(SecondEngine.Result result, String what) {
        if (!result.ok()) {
            throw new IllegalStateException(what + " failed (exit " + result.exit() + "): " + result.output());
        }
    }
}
