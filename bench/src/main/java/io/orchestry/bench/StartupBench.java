package io.orchestry.bench;

import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.dev.DevLauncher;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long each service takes from process start to ready ({@code /health/readiness} answers 200,
 * which needs its database and its servers), and its resident memory then, with dev mode's JVM
 * options: each service alone, then all five at once as dev mode starts them. The baseline in the
 * same run is a bare JVM printing its version (what starting any Java process costs here).
 * Run: {@code bench/run startup [rounds]}.
 */
public final class StartupBench {
    private StartupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        System.out.printf(Locale.ROOT, "start-up benchmark: %d rounds; %d cores, Java %s; JVM options %s%n", rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), DevLauncher.JVM_OPTIONS);
        try (EmbeddedDatabase database = EmbeddedDatabase.start(0)) {
            Map<String, String> env = new HashMap<>();
            env.put("DATASOURCES_DEFAULT_URL", database.createDatabase("startup"));
            env.put("DATASOURCES_DEFAULT_USERNAME", database.username());
            env.put("DATASOURCES_DEFAULT_PASSWORD", database.password());
            env.put("MICRONAUT_ENVIRONMENTS", "dev");
            env.put("MALLOC_ARENA_MAX", "2");

            Map<ServiceKind, List<Double>> alone = new EnumMap<>(ServiceKind.class);
            Map<ServiceKind, List<Double>> rss = new EnumMap<>(ServiceKind.class);
            List<Double> together = new ArrayList<>();
            List<Double> bareJvm = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                bareJvm.add(bareJvm());
                for (ServiceKind kind : ServiceKind.values()) {
                    int offset = PortOffsets.findFree(kind);
                    long began = System.nanoTime();
                    try (ServiceProcess process = ServiceProcess.start(kind, root, offset, env, DevLauncher.JVM_OPTIONS, line -> { })) {
                        process.awaitReady(Duration.ofMinutes(2));
                        double ms = (System.nanoTime() - began) / 1e6;
                        alone.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
                        rss.computeIfAbsent(kind, k -> new ArrayList<>()).add(process.residentKilobytes() / 1024.0);
                        System.out.printf(Locale.ROOT, "round %d  %-12s alone: ready in %6.0f ms, RSS %4.0f MB%n", round,
                                kind.shortName(), ms, process.residentKilobytes() / 1024.0);
                    }
                }
                int offset = PortOffsets.findFree(ServiceKind.values());
                long began = System.nanoTime();
                List<ServiceProcess> all = new ArrayList<>();
                try {
                    for (ServiceKind kind : ServiceKind.values()) {
                        all.add(ServiceProcess.start(kind, root, offset, env, DevLauncher.JVM_OPTIONS, line -> { }));
                    }
                    for (ServiceProcess process : all) {
                        process.awaitReady(Duration.ofMinutes(2));
                    }
                    double ms = (System.nanoTime() - began) / 1e6;
                    together.add(ms);
                    System.out.printf(Locale.ROOT, "round %d  all five at once: ready in %6.0f ms%n", round, ms);
                } finally {
                    all.forEach(ServiceProcess::close);
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "SUMMARY (median of %d rounds)%n", rounds);
            System.out.printf(Locale.ROOT, "  bare JVM (java -version): %.0f ms%n", Latencies.median(bareJvm));
            for (ServiceKind kind : ServiceKind.values()) {
                System.out.printf(Locale.ROOT, "  %-12s ready in %6.0f ms alone (%.1fx a bare JVM), RSS %4.0f MB%n", kind.shortName(),
                        Latencies.median(alone.get(kind)), Latencies.median(alone.get(kind)) / Latencies.median(bareJvm),
                        Latencies.median(rss.get(kind)));
            }
            System.out.printf(Locale.ROOT, "  all five at once (dev mode, 2 cores shared): %.0f ms%n", Latencies.median(together));
        }
    }

    private static double bareJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        long began = System.nanoTime();
        Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.waitFor();
        return (System.nanoTime() - began) / 1e6;
    }
}
