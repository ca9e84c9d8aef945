package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import io.orchestry.provisioner.runtime.WorkloadUsage;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The arithmetic of the engine's stats (as {@code docker stats} does it): pure. */
final class UsageSamples {
    private UsageSamples() {
    }

    static WorkloadUsage of(Statistics stats, Instant fallbackTime) {
        CpuStatsConfig cpu = stats.getCpuStats();
        CpuStatsConfig previous = stats.getPreCpuStats();
        long cpuMillis = cpu == null || previous == null ? 0 : cpuMillis(
                total(cpu), total(previous), orZero(cpu.getSystemCpuUsage()), orZero(previous.getSystemCpuUsage()),
                onlineCpus(cpu));
        return new WorkloadUsage(cpuMillis, memoryBytes(stats.getMemoryStats()), time(stats.getRead(), fallbackTime));
    }

    /**
     * Thousandths of a core between two samples: the container's share of the whole machine's CPU time over the
     * interval, times the machine's cores. 0 when there is no interval (a first sample has no previous one).
     */
    static long cpuMillis(long total, long previousTotal, long system, long previousSystem, long onlineCpus) {
        long cpuDelta = total - previousTotal;
        long systemDelta = system - previousSystem;
        if (cpuDelta <= 0 || systemDelta <= 0 || onlineCpus <= 0) {
            return 0;
        }
        return Math.round((double) cpuDelta / systemDelta * onlineCpus * 1000);
    }

    /**
     * Memory in use minus what the kernel can take back at once: inactive file pages ({@code total_inactive_file} on
     * cgroup v1, {@code inactive_file} on v2), else the page cache, as {@code docker stats} reports it.
     */
    static long memoryBytes(MemoryStatsConfig memory) {
        if (memory == null || memory.getUsage() == null) {
            return 0;
        }
        return memoryBytes(memory.getUsage(), reclaimable(memory.getStats()));
    }

    static long memoryBytes(long usage, long reclaimable) {
        return reclaimable > 0 && reclaimable < usage ? usage - reclaimable : usage;
    }

    private static long reclaimable(StatsConfig stats) {
        if (stats == null) {
            return 0;
        }
        if (stats.getTotalInactiveFile() != null) {
            return stats.getTotalInactiveFile();
        }
        if (stats.getInactiveFile() != null) {
            return stats.getInactiveFile();
        }
        return stats.getTotalCache() != null ? stats.getTotalCache() : orZero(stats.getCache());
    }

    private static long total(CpuStatsConfig stats) {
        return stats.getCpuUsage() == null ? 0 : orZero(stats.getCpuUsage().getTotalUsage());
    }

    private static long onlineCpus(CpuStatsConfig stats) {
        if (stats.getOnlineCpus() != null && stats.getOnlineCpus() > 0) {
            return stats.getOnlineCpus();
        }
        return stats.getCpuUsage() == null || stats.getCpuUsage().getPercpuUsage() == null
                ? 0 : stats.getCpuUsage().getPercpuUsage().size();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static Instant time(String read, Instant fallback) {
        if (read == null || read.isEmpty() || read.startsWith("0001-")) {
            return fallback;
        }
        try {
            return Instant.parse(read);
        } catch (DateTimeParseException malformed) {
            return fallback;
        }
    }
}
