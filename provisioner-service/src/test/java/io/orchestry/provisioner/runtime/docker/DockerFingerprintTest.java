package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.model.Info;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.runtime.Fingerprint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerFingerprintTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void of_info_givesCapacityAttributesAndRunningContainers() {
        Info info = new Info().withNCPU(2).withMemTotal(24L << 30).withServerVersion("20.10.24+dfsg1")
                .withOperatingSystem("Debian GNU/Linux 12 (bookworm)").withCGroupVersion("1")
                .withKernelVersion("6.1.0").withContainersRunning(3);

        Fingerprint fingerprint = DockerFingerprint.of(info, "unix:///var/run/docker.sock", NOW);

        assertTrue(fingerprint.healthy());
        assertEquals("Docker Engine 20.10.24+dfsg1, 3 containers running", fingerprint.detail());
        assertEquals(new ComputeResources(2000, 24L << 30), fingerprint.capacity());
        assertEquals(3, fingerprint.runningWorkloads());
        assertEquals("1", fingerprint.attributes().get("cgroup.version"));
        assertEquals("Debian GNU/Linux 12 (bookworm)", fingerprint.attributes().get("os"));
        assertEquals("unix:///var/run/docker.sock", fingerprint.attributes().get("endpoint"));
        assertEquals(NOW, fingerprint.time());
    }

    @Test
    void of_infoWithoutCapacity_isUnhealthy() {
        assertFalse(DockerFingerprint.of(new Info().withServerVersion("x"), "tcp://h:2375", NOW).healthy());
    }

    @Test
    void unreachable_namesTheEndpointAndTheDeepestCause() {
        Fingerprint fingerprint = DockerFingerprint.unreachable("tcp://10.0.0.9:2375",
                new RuntimeException("wrapped", new IOException("Connection refused")), NOW);

        assertFalse(fingerprint.healthy());
        assertEquals("docker engine tcp://10.0.0.9:2375 does not answer: Connection refused", fingerprint.detail());
    }
}
