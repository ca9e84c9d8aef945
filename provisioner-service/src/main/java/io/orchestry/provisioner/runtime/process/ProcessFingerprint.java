package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.Fingerprint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This machine as the process driver sees it: capacity from the JVM's processor count and {@code /proc/meminfo}, usage
 * of the whole node (memory: MemTotal - MemAvailable; CPU: busy share of {@code /proc/stat} since the previous call),
 * healthy when the work directory is writable and {@code setsid} is there.
 */
final class ProcessFingerprint {
    private long lastBusy;
    private long lastTotal;

    synchronized Fingerprint take(Path workDir, boolean setsid, Cgroups cgroups, int running, Instant now) {
        int cpus = java.lang.Runtime.getRuntime().availableProcessors();
        List<String> meminfo = lines(Path.of("/proc/meminfo"));
        long total = ProcStatus.kilobytes(meminfo, "MemTotal:") * 1024;
        long available = ProcStatus.kilobytes(meminfo, "MemAvailable:") * 1024;
        long cpuUsed = cpuBusyMillis(cpus);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("os", System.getProperty("os.name"));
        attributes.put("arch", System.getProperty("os.arch"));
        attributes.put("kernel", System.getProperty("os.version"));
        attributes.put("cgroup", cgroups.version());
        attributes.put("enforces_limits", Boolean.toString(cgroups.enforces()));
        attributes.put("work_dir", workDir.toString());
        String problem = !Files.isDirectory(workDir) || !Files.isWritable(workDir) ? "work directory " + workDir + " is not writable"
                : !setsid ? "setsid (util-linux) is not on this node's PATH" : total == 0 ? "no /proc/meminfo" : "";
        if (!problem.isEmpty()) {
            return new Fingerprint(false, problem, ComputeResources.ZERO, ComputeResources.ZERO, running, attributes, now);
        }
        String detail = "local processes, " + cpus + " CPUs, " + total / (1024 * 1024) + " MiB, " + running + " running, limits "
                + (cgroups.enforces() ? "enforced (cgroup " + cgroups.version() + ")" : "not enforced: " + cgroups.why());
        return new Fingerprint(true, detail, new ComputeResources(cpus * 1000L, total),
                new ComputeResources(cpuUsed, total - available), running, attributes, now);
    }

    /** Busy CPU of the node in millicores since the previous call (0 on the first). */
    private long cpuBusyMillis(int cpus) {
        List<String> stat = lines(Path.of("/proc/stat"));
        if (stat.isEmpty() || !stat.get(0).startsWith("cpu ")) {
            return 0;
        }
        String[] f = stat.get(0).trim().split(" +");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        long busy = total - idle;
        long used = lastTotal == 0 || total == lastTotal ? 0 : (busy - lastBusy) * 1000L * cpus / (total - lastTotal);
        lastBusy = busy;
        lastTotal = total;
        return Math.max(0, used);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException missing) {
            return List.of();
        }
    }
}
