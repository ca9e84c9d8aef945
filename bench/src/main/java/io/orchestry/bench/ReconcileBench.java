package io.orchestry.bench;

import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;
import io.orchestry.provisioner.v1.AppSpec;
import io.orchestry.provisioner.v1.ComputeResources;
import io.orchestry.provisioner.v1.CreateAppRequest;
import io.orchestry.provisioner.v1.DeleteAppRequest;
import io.orchestry.provisioner.v1.ProcessSpec;
import io.orchestry.provisioner.v1.ResourceRequirements;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.NodeStatus;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reconcile of {@code apps} process apps (1 replica each, {@code /bin/sleep 3600}) after the provisioner is killed
 * with SIGKILL and started again on the same database and process work folder: from the kill until the new one is
 * ready, and until every app is reconciled again — its loop has reconciled every app, every instance is RUNNING with
 * the runtime id (pid) it had before (adopted, not restarted), every app status is up to date, and {@code /proc}
 * has exactly one process per app. Duplicates (instances or processes beyond one per app) and restarts are counted.
 * A last round restarts it gracefully (SIGTERM: the process driver stops its workloads on a normal exit, so the new
 * provisioner starts them all again). Baselines in the same run: the cold start of the apps (create → all running)
 * and one steady resync pass over them with nothing to do.
 *
 * <p>Run: {@code bench/run reconcile [apps=1000] [rounds=3]}.
 */
public final class ReconcileBench {
    static final String PROJECT = "bench-reconcile";
    private static final Duration CONVERGE = Duration.ofMinutes(10);

    private ReconcileBench() {
    }

    public static void main(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("orchestry.root", ".")).toAbsolutePath().normalize();
        System.out.printf(Locale.ROOT, "reconcile benchmark: %d process apps (1 replica, /bin/sleep 3600), %d kill -9 rounds + 1 graceful;"
                + " %d cores, Java %s%n", apps, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Path workDir = Files.createTempDirectory("orchestry-bench-reconcile");
        Thread cleanup = new Thread(() -> {
            int left = WorkloadProcesses.killAll(PROJECT);
            if (left > 0) {
                System.out.println("killed " + left + " leftover workload processes");
            }
            delete(workDir);
        }, "bench-reconcile-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (BenchStack stack = BenchStack.start(root, List.of("ORCHESTRY_PROCESS_WORK_DIR=" + workDir),
                ServiceKind.REGISTRY, ServiceKind.PROVISIONER);
             ControlPlane plane = new ControlPlane(stack.grpcPort(ServiceKind.REGISTRY), stack.grpcPort(ServiceKind.PROVISIONER),
                     stack.httpPort(ServiceKind.PROVISIONER))) {
            run(stack, plane, apps, rounds);
        } finally {
            int left = WorkloadProcesses.killAll(PROJECT);
            System.out.println(left == 0 ? "no workload process left behind" : "killed " + left + " workload processes left behind");
        }
    }

    private static void run(BenchStack stack, ControlPlane plane, int apps, int rounds) throws Exception {
        plane.ensureProject(PROJECT);
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        plane.registerNode("local", DriverKind.DRIVER_KIND_PROCESS, "local", Runtime.getRuntime().availableProcessors() * 1000L, memory);
        plane.awaitNode("local", NodeStatus.NODE_STATUS_READY, Duration.ofSeconds(60));

        long began = System.nanoTime();
        forEachApp(apps, name -> plane.provisionerAsync().createApp(CreateAppRequest.newBuilder().setName(name).setProject(PROJECT)
                .setSpec(spec()).build()));
        double created = seconds(began);
        ReconcileState cold = await(plane, s -> s.allRunning(apps), apps);
        double coldSeconds = seconds(began);
        System.out.printf(Locale.ROOT, "baseline: %d apps created in %.1f s (%.0f/s), all running in %.1f s: %s%n", apps, created,
                apps / created, coldSeconds, cold.describe(apps));
        double resync = resyncPass(plane, apps);

        List<Double> ready = new ArrayList<>();
        List<Double> reconciled = new ArrayList<>();
        List<Double> afterReady = new ArrayList<>();
        long duplicates = 0;
        long restarts = 0;
        ServiceProcess current = stack.service(ServiceKind.PROVISIONER);
        for (int round = 1; round <= rounds + 1; round++) {
            boolean graceful = round > rounds;
            ReconcileState before = await(plane, s -> s.allRunning(apps) && s.duplicates() == 0, apps);
            long killed = System.nanoTime();
            if (graceful) {
                current.close();
            } else {
                ProcessHandle.of(current.pid()).ifPresent(ProcessHandle::destroyForcibly);
                current.onExit().join();
            }
            double stopped = seconds(killed);
            current = stack.startReplica(ServiceKind.PROVISIONER);
            double readySeconds = seconds(killed);
            plane.provisionerAt(current.grpcPort(), current.httpPort());
            ReconcileState after = await(plane, graceful ? s -> s.allRunning(apps) && s.duplicates() == 0
                    : s -> s.allRunning(apps) && s.duplicates() == 0 && s.appsUpToDate() == apps && loopDone(plane, apps), apps, before);
            double reconciledSeconds = seconds(killed);
            ControlPlane.LoopFigures loop = plane.reconcileLoop();
            long restarted = after.restartedSince(before);
            System.out.printf(Locale.ROOT, "round %d  %-8s stopped in %.1f s, new provisioner ready %.1f s after, every app reconciled %.1f s"
                            + " after (%.1f s after ready): %d reconciles, %.1f ms mean; %d duplicates, %d restarted; %s%n",
                    round, graceful ? "SIGTERM" : "kill -9", stopped, readySeconds, reconciledSeconds, reconciledSeconds - readySeconds,
                    loop.reconciles(), loop.reconciles() == 0 ? 0 : loop.seconds() * 1000 / loop.reconciles(), after.duplicates(), restarted,
                    after.describe(apps));
            if (restarted > 0) {
                System.out.println("  not adopted (new pid or restart count): " + after.restartedExamples(before, 3));
            }
            if (graceful) {
                System.out.printf(Locale.ROOT, "  graceful restart: the workloads were stopped on exit and started again (%d new pids)%n",
                        restarted);
                continue;
            }
            ready.add(readySeconds);
            reconciled.add(reconciledSeconds);
            afterReady.add(reconciledSeconds - readySeconds);
            duplicates += after.duplicates();
            restarts += restarted;
        }
        ReconcileState end = ReconcileState.of(plane, PROJECT);

        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY (median of %d kill -9 rounds, %d apps)%n", rounds, apps);
        if (!ready.isEmpty()) {
            System.out.printf(Locale.ROOT, "  kill -9 -> new provisioner ready:         %.1f s%n", Latencies.median(ready));
            System.out.printf(Locale.ROOT, "  kill -9 -> every app reconciled, adopted: %.1f s (%.1f s after ready; target <= 10 s)%n",
                    Latencies.median(reconciled), Latencies.median(afterReady));
        }
        System.out.printf(Locale.ROOT, "  duplicates %d, restarted %d over all rounds; at the end %s%n", duplicates, restarts, end.describe(apps));
        System.out.printf(Locale.ROOT, "  baseline: cold start create -> all %d running %.1f s; a steady resync pass over them %.1f s%n",
                apps, coldSeconds, resync);
        System.out.println("  measured with: " + System.getProperty("orchestry.bench.command", "bench/run reconcile"));

        long deleting = System.nanoTime();
        forEachApp(apps, name -> plane.provisionerAsync().deleteApp(DeleteAppRequest.newBuilder().setName(name).build()));
        await(plane, s -> s.apps().isEmpty() && s.processes().isEmpty(), apps);
        System.out.printf(Locale.ROOT, "deleted the %d apps, every process gone in %.1f s%n", apps, seconds(deleting));
    }

    private static AppSpec spec() {
        return AppSpec.newBuilder()
                .setProcess(ProcessSpec.newBuilder().setCommand("/bin/sleep").addArgs("3600"))
                .setReplicas(1)
                .setResources(ResourceRequirements.newBuilder()
                        .setRequests(ComputeResources.newBuilder().setCpuMillis(1).setMemoryBytes(1L << 20)))
                .build();
    }

    private static String appName(int i) {
        return String.format(Locale.ROOT, "r-%05d", i);
    }

    /** One call per app, 32 in flight. */
    private static void forEachApp(int apps, java.util.function.Function<String, com.google.common.util.concurrent.ListenableFuture<?>> call) {
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            inFlight.add(LoadDriver.of(call.apply(appName(i))));
            if (inFlight.size() == 32) {
                inFlight.forEach(CompletableFuture::join);
                inFlight.clear();
            }
        }
        inFlight.forEach(CompletableFuture::join);
    }

    /** The new provisioner's loop has reconciled every app at least once and has nothing due. */
    private static boolean loopDone(ControlPlane plane, int apps) {
        try {
            ControlPlane.LoopFigures loop = plane.reconcileLoop();
            return loop.reconciles() >= apps && loop.depth() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls every 200 ms (errors while a provisioner starts are retried) until {@code done}. */
    private static ReconcileState await(ControlPlane plane, Predicate<ReconcileState> done, int apps) throws InterruptedException {
        return await(plane, done, apps, null);
    }

    private static ReconcileState await(ControlPlane plane, Predicate<ReconcileState> done, int apps, ReconcileState before)
            throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        ReconcileState last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = ReconcileState.of(plane, PROJECT);
                if (done.test(last)) {
                    return last;
                }
            } catch (io.grpc.StatusRuntimeException notYet) {
                // the provisioner is starting or busy: look again
            }
            Thread.sleep(200);
        }
        String why = last == null ? "no answer" : last.describe(apps);
        if (last != null && before != null) {
            java.util.Set<Long> gone = new java.util.HashSet<>(before.processes().keySet());
            gone.removeAll(last.processes().keySet());
            why += String.format(Locale.ROOT, "; since before: %d instances restarted, %d of the %d pids gone; loop %s", last.restartedSince(before),
                    gone.size(), before.processes().size(), plane.reconcileLoop());
        }
        throw new IllegalStateException("not converged within " + CONVERGE + ": " + why);
    }

    /** One resync pass of the steady loop: from its first reconcile after a quiet spell until it did one per app. */
    private static double resyncPass(ControlPlane plane, int apps) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(75).toNanos();
        long start = plane.reconcileLoop().reconciles();
        long passBegan = 0;
        long from = start;
        while (System.nanoTime() < deadline) {
            ControlPlane.LoopFigures loop = plane.reconcileLoop();
            if (passBegan == 0 && loop.reconciles() > start) {
                passBegan = System.nanoTime();
                from = start;
            } else if (loop.reconciles() >= from + apps && loop.depth() == 0) {
                double s = seconds(passBegan);
                System.out.printf(Locale.ROOT, "baseline: a steady resync pass over %d apps took %.1f s (mean %.1f ms a reconcile since start)%n",
                        apps, s, loop.seconds() * 1000 / loop.reconciles());
                return s;
            }
            Thread.sleep(50);
        }
        System.out.println("baseline: no resync pass seen within 75 s");
        return Double.NaN;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException gone) {
            // nothing left to delete
        }
    }
}
