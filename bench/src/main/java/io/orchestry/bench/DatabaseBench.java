package io.orchestry.bench;

import io.orchestry.launcher.ServiceKind;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.NodeStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * One PostgreSQL per project, measured against doing the same by hand in the same run. Registry and provisioner each
 * in their own JVM on an embedded PostgreSQL; a process node {@code local} and, where an engine answers and the image
 * is there, a docker node {@code docker}. Three parts:
 * <ol>
 *   <li>process driver: CreateDatabase → a JDBC login with its credentials succeeds, against {@code initdb} +
 *       {@code pg_ctl start} of the same Debian PostgreSQL 15 (target ≤ 1.5 s);</li>
 *   <li>docker driver: the same against {@code docker run -d} of {@code orchestry/postgres:15} on a new volume
 *       (target ≤ 3 s);</li>
 *   <li>backup + verify of a process database of about {@code backupMiB}: MB/s, against {@code pg_dump -Fc} +
 *       {@code pg_restore}.</li>
 * </ol>
 * Every database is deleted after its round; what the baselines made is removed; at the end the benchmark looks for
 * anything left (server processes under its folder, containers and volumes of its projects or its run).
 *
 * <p>Run: {@code bench/run databases [rounds=5] [backupMiB=100]}.
 */
public final class DatabaseBench {
    static final String PROCESS_PROJECT = "bench-db-process";
    static final String DOCKER_PROJECT = "bench-db-docker";
    static final String BACKUP_PROJECT = "bench-db-backup";
    /** 512 MiB: ServerSettings gives it PostgreSQL's default shared_buffers (128 MB). */
    static final long MEMORY = 512L << 20;
    static final long CPU_MILLIS = 1000;

    private DatabaseBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int backupMiB = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        if (rounds < 1 || backupMiB < 1) {
            System.err.println("usage: bench/run databases [rounds >= 1] [backupMiB >= 1]");
            System.exit(2);
        }
        if (!BarePostgres.available()) {
            System.out.println("databases: PostgreSQL 15 is missing at " + BarePostgres.BIN + " (apt-get install postgresql-15)");
            System.exit(1);
        }
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        String dockerMissing = BareContainer.unavailable();
        System.out.printf(Locale.ROOT, "databases benchmark: %d rounds, backup of ~%d MiB, servers of %d MiB and %d millicores, PostgreSQL %s;"
                        + " %d cores, Java %s%n", rounds, backupMiB, MEMORY >> 20, CPU_MILLIS, DatabaseCalls.VERSION,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // short: the servers' unix sockets live under it and a socket path has at most 107 bytes
        Path workDir = Files.createTempDirectory(Path.of("/tmp"), "obdb-");
        Path processDir = Files.createDirectory(workDir.resolve("process"));
        for (Path dir : List.of(workDir, processDir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // the servers run as postgres
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            BareContainer.removeAll(runId);
            BarePostgres.delete(workDir);
        }, "bench-databases-cleanup"));

        List<Comparison> comparisons = new ArrayList<>();
        BackupRounds.Figures backup = null;
        List<String> settings = List.of("ORCHESTRY_PROCESS_WORK_DIR=" + processDir,
                "ORCHESTRY_DATABASES_BACKUP_FOLDER=" + workDir.resolve("backups"),
                "ORCHESTRY_DATABASES_SCRATCH_PORT=" + BarePostgres.freePort());
        try (BenchStack stack = BenchStack.start(root, settings,
                ServiceKind.REGISTRY, ServiceKind.PROVISIONER);
             ControlPlane plane = new ControlPlane(stack.grpcPort(ServiceKind.REGISTRY), stack.grpcPort(ServiceKind.PROVISIONER),
                     stack.httpPort(ServiceKind.PROVISIONER))) {
            DatabaseCalls calls = new DatabaseCalls(plane);
            try {
                registerNodes(plane, dockerMissing == null);

                System.out.println("process driver: CreateDatabase -> login, against initdb + pg_ctl start -> login");
                comparisons.addAll(new CreateRounds(calls, PROCESS_PROJECT, "local", MEMORY, CPU_MILLIS).run(rounds, "initdb + pg_ctl start", 1.5,
                        (round, password) -> BarePostgres.start(workDir, password, MEMORY)));

                if (dockerMissing == null) {
                    System.out.println("docker driver: CreateDatabase -> login, against docker volume create + docker run -d -> login");
                    try {
                        comparisons.addAll(new CreateRounds(calls, DOCKER_PROJECT, "docker", MEMORY, CPU_MILLIS).run(rounds, "docker run -d",
                                3.0, (round, password) -> BareContainer.start(runId, round, password, MEMORY, CPU_MILLIS)));
                    } catch (RuntimeException failed) {
                        // the other parts still say something: this one is reported as not measured, with why
                        System.out.println("docker driver: NOT measured: " + failed.getMessage());
                        comparisons.add(new Comparison("docker node: create -> login (FAILED: " + failed.getMessage() + ")", "", 3.0));
                    }
                } else {
                    System.out.println("docker driver: skipped: " + dockerMissing);
                }

                System.out.println("backup + verify on the process driver, against pg_dump -Fc + pg_restore into a fresh database");
                backup = new BackupRounds(calls, BACKUP_PROJECT, workDir, MEMORY).run(rounds, backupMiB);
            } finally {
                for (String project : List.of(PROCESS_PROJECT, DOCKER_PROJECT, BACKUP_PROJECT)) {
                    calls.deleteIfThere(project);
                }
            }
        } finally {
            System.out.println("left behind: " + leftovers(runId, workDir, dockerMissing == null));
        }
        summary(rounds, comparisons, backup);
    }

    private static void registerNodes(ControlPlane plane, boolean docker) throws InterruptedException {
        for (String project : List.of(PROCESS_PROJECT, DOCKER_PROJECT, BACKUP_PROJECT)) {
            plane.ensureProject(project);
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        plane.registerNode("local", DriverKind.DRIVER_KIND_PROCESS, "local", cpus * 1000L, memory);
        if (docker) {
            plane.registerNode("docker", DriverKind.DRIVER_KIND_DOCKER, "unix:///var/run/docker.sock", cpus * 1000L, memory);
        }
        plane.awaitNode("local", NodeStatus.NODE_STATUS_READY, Duration.ofSeconds(60));
        if (docker) {
            plane.awaitNode("docker", NodeStatus.NODE_STATUS_READY, Duration.ofSeconds(60));
        }
    }

    /** Server processes still running from the work folder, containers and volumes of the projects or this run. */
    private static String leftovers(String runId, Path workDir, boolean docker) {
        List<String> left = new ArrayList<>();
        processesUnder(workDir).forEach((pid, line) -> {
            left.add("process " + pid + " (" + line + "), killed");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        });
        if (docker) {
            for (String project : List.of(DOCKER_PROJECT, PROCESS_PROJECT, BACKUP_PROJECT)) {
                BareContainer.leftovers(project).forEach(what -> left.add(what + " of " + project));
            }
            String removed = BareContainer.removeAll(runId);
            if (!removed.equals("0 containers, 0 volumes")) {
                left.add("of the docker baseline: " + removed + ", removed");
            }
        }
        BarePostgres.delete(workDir);
        return left.isEmpty() ? "nothing (no server process, container, volume; work folder removed)" : String.join("; ", left);
    }

    /** pid → command line of every live process whose command line names the folder (a server's -D). */
    private static Map<Long, String> processesUnder(Path dir) {
        Map<Long, String> found = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String line = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
                    if (line.contains(dir.toString())) {
                        found.put(Long.parseLong(p.getFileName().toString()), line);
                    }
                } catch (IOException gone) {
                    // ended while we looked
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static void summary(int rounds, List<Comparison> comparisons, BackupRounds.Figures backup) {
        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY (medians of %d rounds, baselines measured in the same run)%n", rounds);
        comparisons.forEach(c -> System.out.print(c.summary()));
        if (backup != null) {
            Comparison t = backup.time();
            System.out.print(t.summary());
            System.out.printf(Locale.ROOT, "    Orchestry %.1f MB/s (its own duration %.2f s), dump %.1f MB, %d tables, %d rows;"
                            + " by hand %.1f MB/s, dump %.1f MB (database %.1f MB by pg_database_size)%n",
                    backup.megabytesPerSecond(t.orchestryMedian()), backup.orchestryOwnSeconds(), backup.orchestryDumpBytes() / 1e6,
                    backup.tables(), backup.rows(), backup.megabytesPerSecond(t.bareMedian()), backup.bareDumpBytes() / 1e6,
                    backup.databaseBytes() / 1e6);
        }
        System.out.println("  measured with: " + System.getProperty("orchestry.bench.command", "bench/run databases"));
    }
}
