package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.model.Info;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.Fingerprint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's fingerprint from the engine's {@code docker info}: capacity (NCPU, MemTotal), engine version, OS, kernel,
 * cgroup version and driver, running containers. The engine does not report what is in use on the machine, so usage is
 * zero with the attribute {@code usage=not-reported}: the provisioner sums its instances' stats where it needs usage.
 */
final class DockerFingerprint {
    private DockerFingerprint() {
    }

    static Fingerprint of(Info info, String endpoint, Instant time) {
        long cpuMillis = info.getNCPU() == null ? 0 : info.getNCPU() * 1000L;
        long memoryBytes = info.getMemTotal() == null ? 0 : info.getMemTotal();
        int running = info.getContainersRunning() == null ? 0 : info.getContainersRunning();
        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "driver", "docker");
        put(attributes, "endpoint", endpoint);
        put(attributes, "engine.version", info.getServerVersion());
        put(attributes, "os", info.getOperatingSystem());
        put(attributes, "os.type", info.getOsType());
        put(attributes, "arch", info.getArchitecture());
        put(attributes, "kernel", info.getKernelVersion());
        put(attributes, "cgroup.version", info.getCGroupVersion());
        put(attributes, "cgroup.driver", info.getCGroupDriver());
        put(attributes, "storage.driver", info.getDriver());
        put(attributes, "cpus", info.getNCPU() == null ? null : info.getNCPU().toString());
        put(attributes, "usage", "not-reported");
        boolean healthy = cpuMillis > 0 && memoryBytes > 0;
        String detail = healthy
                ? "Docker Engine " + info.getServerVersion() + ", " + running + " containers running"
                : "Docker Engine " + info.getServerVersion() + " reports no CPU or memory";
        return new Fingerprint(healthy, detail, new ComputeResources(cpuMillis, memoryBytes), ComputeResources.ZERO,
                running, attributes, time);
    }

    static Fingerprint unreachable(String endpoint, Throwable failure, Instant time) {
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                reason = cause.getMessage();
            }
        }
        return Fingerprint.unreachable("docker engine " + endpoint + " does not answer: " + reason, time);
    }

    private static void put(Map<String, String> attributes, String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.put(name, value);
        }
    }
}
