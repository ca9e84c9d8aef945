package io.orchestry.bench;

import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DeploymentStrategy;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Placement;
import io.orchestry.provisioner.domain.PlacementStrategy;
import io.orchestry.provisioner.domain.ResourceRequirements;
import io.orchestry.provisioner.domain.RestartPolicy;
import io.orchestry.provisioner.domain.RollingUpdate;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.placement.Placer;
import io.orchestry.provisioner.placement.ScoringPlacer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Placement decisions per second over {@code nodes} simulated nodes (mixed sizes, three regions, a disk label, a few
 * cordoned or down), one replica per decision for one of 50 apps in turn, each decision's allocation counted before the
 * next. The provisioner's placer (filters, spread scoring, deterministic ties) against a plain first-fit scan (the first
 * READY node of the kind with the requests free) measured in the same run. Pure CPU, no I/O.
 * Run: {@code bench/run placement [nodes=1000] [decisions=20000] [rounds=5]}.
 */
public final class PlacementBench {
    private static final int APPS = 50;
    private static final long MIB = 1L << 20;

    private PlacementBench() {
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int decisions = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<FleetNode> fleet = fleet(nodes, new Random(42));
        List<AppSpec> specs = specs();
        System.out.printf(Locale.ROOT, "placement benchmark: %d nodes, %d decisions per round, %d rounds; %d cores, Java %s%n",
                nodes, decisions, rounds, java.lang.Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Placer placer = new ScoringPlacer();
        // JIT warm-up of both
        run(fleet, specs, decisions, placer::place);
        run(fleet, specs, decisions, PlacementBench::firstFit);
        double[] placerRates = new double[rounds];
        double[] baselineRates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            baselineRates[round] = run(fleet, specs, decisions, PlacementBench::firstFit);
            placerRates[round] = run(fleet, specs, decisions, placer::place);
            System.out.printf(Locale.ROOT, "round %d: placer %,.0f decisions/s, first-fit baseline %,.0f decisions/s%n",
                    round + 1, placerRates[round], baselineRates[round]);
        }
        double placerMedian = median(placerRates);
        double baselineMedian = median(baselineRates);
        System.out.printf(Locale.ROOT, "median: placer %,.0f decisions/s (target >= 5,000), first-fit %,.0f decisions/s,"
                + " placer/first-fit %.2f%n", placerMedian, baselineMedian, placerMedian / baselineMedian);
        System.out.println("command: " + System.getProperty("orchestry.bench.command", "bench/run placement"));
    }

    private interface Decide {
        List<String> place(AppSpec spec, int count, List<FleetNode> nodes, Map<String, ComputeResources> allocated,
                           Map<String, Integer> appCounts);
    }

    /** Decisions per second over one round, from an empty fleet. */
    private static double run(List<FleetNode> fleet, List<AppSpec> specs, int decisions, Decide decide) {
        Map<String, ComputeResources> allocated = new HashMap<>();
        List<Map<String, Integer>> counts = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            counts.add(new HashMap<>());
        }
        long placed = 0;
        long start = System.nanoTime();
        for (int i = 0; i < decisions; i++) {
            int app = i % specs.size();
            AppSpec spec = specs.get(app);
            List<String> chosen = decide.place(spec, 1, fleet, allocated, counts.get(app));
            for (String node : chosen) {
                allocated.merge(node, spec.resources().requests(), ComputeResources::plus);
                counts.get(app).merge(node, 1, Integer::sum);
                placed++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (placed != decisions) {
            throw new IllegalStateException("only " + placed + " of " + decisions + " replicas fitted: a bigger fleet");
        }
        return decisions / seconds;
    }

    /** The baseline: the first node of the kind that accepts placements and has the requests free. */
    private static List<String> firstFit(AppSpec spec, int count, List<FleetNode> nodes,
                                         Map<String, ComputeResources> allocated, Map<String, Integer> appCounts) {
        ComputeResources requests = spec.resources().requests();
        for (FleetNode node : nodes) {
            if (node.driverKind() == spec.runtime().driverKind() && node.acceptsPlacements()
                    && requests.fitsIn(node.allocatable().minus(allocated.getOrDefault(node.name(), ComputeResources.ZERO)))) {
                return List.of(node.name());
            }
        }
        return List.of();
    }

    private static List<FleetNode> fleet(int count, Random random) {
        String[] regions = {"eu-west", "us-east", "ap-south"};
        List<FleetNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = 1 << random.nextInt(3); // 1, 2 or 4 units of 4 cores / 16 GiB
            FleetNode.Status status = i % 50 == 7 ? FleetNode.Status.DOWN : FleetNode.Status.READY;
            FleetNode.Mode mode = i % 40 == 3 ? FleetNode.Mode.CORDONED : FleetNode.Mode.SCHEDULABLE;
            nodes.add(new FleetNode(String.format(Locale.ROOT, "node-%04d", i), DriverKind.PROCESS, "local",
                    "127.0.0.1", regions[i % regions.length], Map.of("disk", i % 2 == 0 ? "ssd" : "hdd"),
                    new ComputeResources(4000L * size, 16384 * MIB * size), status, mode, null, false));
        }
        return nodes;
    }

    /** 50 apps with the default placement (spread, anywhere), requests from 50m / 64 MiB to 500m / 512 MiB. */
    private static List<AppSpec> specs() {
        List<AppSpec> specs = new ArrayList<>();
        for (int i = 0; i < APPS; i++) {
            int units = 1 + i % 10;
            specs.add(new AppSpec(new Runtime.Process("/bin/app-" + i, List.of(), ""), Map.of(), List.of(), 1,
                    new ResourceRequirements(new ComputeResources(50L * units, 64 * MIB * units), ComputeResources.ZERO),
                    null, RestartPolicy.ALWAYS, new Placement("", List.of(), PlacementStrategy.SPREAD),
                    DeploymentStrategy.ROLLING_UPDATE, new RollingUpdate(1, 0, Duration.ZERO, Duration.ofMinutes(10))));
        }
        return specs;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
