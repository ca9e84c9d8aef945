package io.orchestry.dev;

import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.RegisterNodeRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalNodesTest {

    @Test
    void offers_withoutDocker_isTheProcessNodeWithThisMachinesCapacity() {
        List<LocalNodes.Offer> offers = LocalNodes.offers(Optional.empty());
        assertEquals(1, offers.size());
        LocalNodes.Offer local = offers.get(0);
        assertEquals("local", local.name());
        assertEquals(DriverKind.DRIVER_KIND_PROCESS, local.kind());
        assertEquals("local", local.endpoint());
        assertEquals(Runtime.getRuntime().availableProcessors() * 1000L, local.cpuMillis());
        assertTrue(local.memoryBytes() > 0);
    }

    @Test
    void offers_withDocker_addsTheDockerNodeWithTheEnginesCapacity() {
        List<LocalNodes.Offer> offers = LocalNodes.offers(Optional.of(new DockerEngine.Info(4, 8L << 30)));
        LocalNodes.Offer docker = offers.get(1);
        assertEquals(new LocalNodes.Offer("docker", DriverKind.DRIVER_KIND_DOCKER, "unix:///var/run/docker.sock", 4000, 8L << 30), docker);
    }

    @Test
    void request_carriesRegionLabelAndCapacity() {
        RegisterNodeRequest request = LocalNodes.request(new LocalNodes.Offer("local", DriverKind.DRIVER_KIND_PROCESS, "local", 2000, 1024));
        assertEquals("local", request.getRegion());
        assertEquals(Map.of("orchestry.io/dev", "true"), request.getLabelsMap());
        assertEquals(2000, request.getCapacity().getCpuMillis());
        assertEquals(1024, request.getCapacity().getMemoryBytes());
        assertEquals("local", request.getEndpoint());
    }
}
