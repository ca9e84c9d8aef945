package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.domain.ComputeResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CPU and memory limits through cgroups, below the provisioner's own cgroup (so a workload never escapes the limits
 * the provisioner itself runs under): {@code <own>/orchestry/<id>}. cgroup v1: the memory controller's
 * {@code memory.limit_in_bytes} and the cpu controller's {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}; v2 (when
 * {@code cgroup.controllers} is there): {@code memory.max} and {@code cpu.max}. When the folders cannot be made (no
 * cgroup file system, read-only, v2 without delegation) limits are recorded only, {@link #enforces()} is false, and
 * {@link #why()} says why (logged once). Public for the process database driver, which limits its servers the same way.
 */
public final class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
    private static final long PERIOD_US = 100_000;
    /** Puts its own pid into each cgroup.procs named before "--", then becomes the command in a new session. */
    private static final String JOIN_SCRIPT =
            "while [ \"$1\" != \"--\" ]; do echo $$ > \"$1\" || exit 126; shift; done; shift; exec setsid \"$@\"";

    private final String version;
    private final Path memoryBase;
    private final Path cpuBase;
    private final String why;

    private Cgroups(String version, Path memoryBase, Path cpuBase, String why) {
        this.version = version;
        this.memoryBase = memoryBase;
        this.cpuBase = cpuBase;
        this.why = why;
    }

    public static Cgroups detect(Path root, List<String> ownCgroupLines) {
        Cgroups cgroups = probe(root, ownCgroupLines);
        if (cgroups.enforces()) {
            LOG.info("process driver: cgroup {} limits under {} and {}", cgroups.version, cgroups.memoryBase, cgroups.cpuBase);
        } else {
            LOG.warn("process driver: CPU and memory limits are recorded, not enforced: {}", cgroups.why);
        }
        return cgroups;
    }

    private static Cgroups probe(Path root, List<String> own) {
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            Optional<String> path = ownPath(own, "");
            if (path.isEmpty()) {
                return none("v2", "own cgroup unknown");
            }
            Path base = root.resolve(path.get().substring(1)).resolve("orchestry");
            return usable("v2", base, base);
        }
        Optional<String> memory = ownPath(own, "memory");
        Optional<String> cpu = ownPath(own, "cpu");
        if (memory.isEmpty() || cpu.isEmpty() || !Files.isDirectory(root.resolve("memory")) || !Files.isDirectory(root.resolve("cpu"))) {
            return none("none", "no cgroup v1 memory and cpu controllers under " + root);
        }
        return usable("v1", root.resolve("memory").resolve(memory.get().substring(1)).resolve("orchestry"),
                root.resolve("cpu").resolve(cpu.get().substring(1)).resolve("orchestry"));
    }

    private static Cgroups usable(String version, Path memoryBase, Path cpuBase) {
        List<Path> bases = List.of(memoryBase, cpuBase);
        List<String> limitFiles = "v1".equals(version) ? List.of("memory.limit_in_bytes", "cpu.cfs_quota_us")
                : List.of("memory.max", "cpu.max");
        try {
            for (int i = 0; i < 2; i++) {
                Path base = Files.createDirectories(bases.get(i));
                Path probe = Files.createDirectories(base.resolve("probe-" + ProcessHandle.current().pid()));
                boolean limits = Files.exists(probe.resolve(limitFiles.get(i)));
                Files.delete(probe);
                if (!limits) {
                    return none(version, "no " + limitFiles.get(i) + " in the cgroups under " + base);
                }
            }
            return new Cgroups(version, memoryBase, cpuBase, "");
        } catch (IOException | SecurityException e) {
            return none(version, "cannot create cgroups under " + memoryBase + " (" + e + ")");
        }
    }

    private static Cgroups none(String version, String why) {
        return new Cgroups(version, null, null, why);
    }

    /** From /proc/self/cgroup ("N:controllers:/path"; v2: "0::/path"): the path for a controller ("" for v2). */
    static Optional<String> ownPath(List<String> lines, String controller) {
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)
                    || parts.length == 3 && controller.isEmpty() && parts[1].isEmpty()) {
                return Optional.of(parts[2]);
            }
        }
        return Optional.empty();
    }

    public boolean enforces() {
        return memoryBase != null;
    }

    String version() {
        return version;
    }

    public String why() {
        return why;
    }

    /**
     * Makes the workload's cgroups for the limits it has (a zero axis: no limit, and no cgroup for it) and returns the
     * {@code cgroup.procs} files to put its pid in; empty when it has no limits or limits are not enforced here. A
     * workload without limits stays in the provisioner's cgroups and is spawned without the {@code sh} wrapper: there is
     * nothing to enforce, and a cgroup of its own only costs (folders to make and remove, a wrapper to exec, and on v1
     * one CPU weight shared by all its threads).
     */
    public List<Path> create(String id, ComputeResources limits) throws IOException {
        if (!enforces()) {
            return List.of();
        }
        List<Path> procs = new ArrayList<>();
        boolean v1 = "v1".equals(version);
        if (limits.memoryBytes() > 0) {
            Path memory = Files.createDirectories(memoryBase.resolve(id));
            write(memory.resolve(v1 ? "memory.limit_in_bytes" : "memory.max"), Long.toString(limits.memoryBytes()));
            procs.add(memory.resolve("cgroup.procs"));
        }
        if (limits.cpuMillis() > 0) {
            Path cpu = Files.createDirectories(cpuBase.resolve(id)); // v2: the same folder as memory's
            long quota = limits.cpuMillis() * PERIOD_US / 1000;
            if (v1) {
                write(cpu.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            } else {
                write(cpu.resolve("cpu.max"), quota + " " + PERIOD_US);
            }
            if (!procs.contains(cpu.resolve("cgroup.procs"))) {
                procs.add(cpu.resolve("cgroup.procs"));
            }
        }
        return procs;
    }

    /** Removes the workload's cgroup folders (they must be empty: call once its processes are gone; the kernel may lag a little). */
    public static void remove(List<String> cgroups) {
        for (String cgroup : cgroups) {
            Path dir = Path.of(cgroup).getParent();
            for (int attempt = 1; ; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (IOException stillBusy) {
                    if (attempt == 20) {
                        LOG.warn("cgroup {} not removed: {}", dir, stillBusy.toString());
                        break;
                    }
                    try {
                        Thread.sleep(50); // bounded wait for the kernel to release an emptied cgroup
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** What runs before a command so that it starts in those cgroups and in a session of its own (then: the command). */
    public static List<String> joinThenSetsid(List<Path> cgroupProcs) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", JOIN_SCRIPT, "orchestry-launch"));
        cgroupProcs.forEach(p -> command.add(p.toString()));
        command.add("--");
        return command;
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }
}
