package io.orchestry.provisioner.runtime.docker;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.ImagePullPolicy;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.PortProtocol;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContainerSpecsTest {
    private static final OwnerLabels OWNER = new OwnerLabels("web", "shop", 3, "orchestry-web-3-1",
            Instant.parse("2026-01-02T03:04:05Z"));
    private static final List<PortSpec> PORTS = List.of(new PortSpec("http", 8080, PortProtocol.TCP),
            new PortSpec("metrics-api", 9100, PortProtocol.TCP), new PortSpec("dns", 53, PortProtocol.UDP));

    private static WorkloadSpec spec(Runtime runtime, Map<String, String> env, List<PortSpec> ports,
                                     ComputeResources limits) {
        return new WorkloadSpec(new WorkloadId(OWNER.instance()), OWNER, runtime, env, ports, limits);
    }

    private static Runtime.Container image(String command, List<String> args) {
        return new Runtime.Container("orchestry/demo-app:dev", command, args, ImagePullPolicy.NEVER);
    }

    @Test
    void of_containerSpec_mapsNameImageLabelsPortsAndLimits() {
        ContainerSpecs.CreateContainer create = ContainerSpecs.of(
                spec(image("", List.of()), Map.of(), PORTS, new ComputeResources(1500, 512L << 20)), "127.0.0.1");

        assertEquals("orchestry-web-3-1", create.name());
        assertEquals("orchestry/demo-app:dev", create.image());
        assertEquals(List.of(), create.entrypoint());
        assertEquals(List.of(), create.cmd());
        Map<String, String> labels = new LinkedHashMap<>(OWNER.asLabels());
        labels.put(ContainerSpecs.PORTS_LABEL, "http:8080/tcp,metrics-api:9100/tcp,dns:53/udp");
        assertEquals(labels, create.labels());
        assertEquals(PORTS, create.ports());
        assertEquals("127.0.0.1", create.hostIp());
        assertEquals(512L << 20, create.memoryBytes());
        assertEquals(1_500_000_000L, create.nanoCpus());
    }

    @Test
    void of_commandAndArgs_areEntrypointAndCmd_noLimitsAreZero() {
        ContainerSpecs.CreateContainer create = ContainerSpecs.of(
                spec(image("sh", List.of("-c", "echo hi")), Map.of(), List.of(), ComputeResources.ZERO), "10.0.0.5");

        assertEquals(List.of("sh"), create.entrypoint());
        assertEquals(List.of("-c", "echo hi"), create.cmd());
        assertEquals(0, create.memoryBytes());
        assertEquals(0, create.nanoCpus());
        assertEquals(OWNER.asLabels(), create.labels());
    }

    @Test
    void of_processRuntime_isRefused() {
        WorkloadSpec process = spec(new Runtime.Process("/bin/true", List.of(), ""), Map.of(), List.of(),
                ComputeResources.ZERO);

        assertThrows(IllegalArgumentException.class, () -> ContainerSpecs.of(process, "127.0.0.1"));
    }

    @Test
    void env_addsOwnerAndPortVariables_whichWinOverTheApps_sortedByName() {
        List<String> env = ContainerSpecs.env(spec(image("", List.of()),
                Map.of("ZETA", "last", "ORCHESTRY_APP", "spoofed", "ALPHA", "a=b"), PORTS, ComputeResources.ZERO));

        assertEquals(List.of("ALPHA=a=b", "ORCHESTRY_APP=web", "ORCHESTRY_INSTANCE=orchestry-web-3-1",
                "ORCHESTRY_PROJECT=shop", "ORCHESTRY_REVISION=3", "PORT=8080", "PORT_DNS=53", "PORT_HTTP=8080",
                "PORT_METRICS_API=9100", "ZETA=last"), env);
    }

    @Test
    void env_noPorts_hasNoPortVariable() {
        List<String> env = ContainerSpecs.env(spec(image("", List.of()), Map.of(), List.of(), ComputeResources.ZERO));

        assertEquals(List.of("ORCHESTRY_APP=web", "ORCHESTRY_INSTANCE=orchestry-web-3-1", "ORCHESTRY_PROJECT=shop",
                "ORCHESTRY_REVISION=3"), env);
    }

    @Test
    void portsLabel_roundTrips_inSpecOrder() {
        assertEquals(PORTS, ContainerSpecs.portsFromLabel(ContainerSpecs.portsLabel(PORTS)));
    }

    @ParameterizedTest
    @CsvSource(value = {"''", "http", "http:80", "http:x/tcp", "http:80/sctp", ":80/tcp"}, nullValues = "null")
    void portsFromLabel_malformed_isEmpty(String label) {
        assertEquals(List.of(), ContainerSpecs.portsFromLabel(label));
    }

    @Test
    void published_followsSpecOrder_andLeavesOutWhatTheEngineDidNotPublish() {
        List<InstancePort> published = ContainerSpecs.published(PORTS, Map.of("53/udp", 32001, "8080/tcp", 32000));

        assertEquals(List.of(new InstancePort("http", 32000), new InstancePort("dns", 32001)), published);
    }

    @ParameterizedTest
    @CsvSource({"http,PORT_HTTP", "metrics-api,PORT_METRICS_API", "a1,PORT_A1"})
    void portVariable_upperCasesAndReplacesDashes(String name, String variable) {
        assertEquals(variable, ContainerSpecs.portVariable(name));
    }
}
