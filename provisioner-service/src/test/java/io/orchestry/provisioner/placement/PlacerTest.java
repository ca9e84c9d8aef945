package io.orchestry.provisioner.placement;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.FleetNode.Mode;
import io.orchestry.provisioner.domain.FleetNode.Status;
import io.orchestry.provisioner.domain.ImagePullPolicy;
import io.orchestry.provisioner.domain.Placement;
import io.orchestry.provisioner.domain.PlacementStrategy;
import io.orchestry.provisioner.domain.ResourceRequirements;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.fakes.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.orchestry.provisioner.fakes.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlacerTest {
    /**
     * The fleet every row places on: p1-p3 take process replicas; p4 is DOWN, p5 cordoned, p6 draining, i1 independent
     * (none of them ever gets one); d1 is the one docker node.
     */
    private static final List<FleetNode> FLEET = List.of(
            node("p1", DriverKind.PROCESS, "eu", Map.of("disk", "ssd"), 4000, 4096, Status.READY, Mode.SCHEDULABLE, false),
            node("p2", DriverKind.PROCESS, "eu", Map.of("disk", "hdd"), 4000, 8192, Status.READY, Mode.SCHEDULABLE, false),
            node("p3", DriverKind.PROCESS, "us", Map.of(), 2000, 8192, Status.READY, Mode.SCHEDULABLE, false),
            node("p4", DriverKind.PROCESS, "eu", Map.of(), 64000, 65536, Status.DOWN, Mode.SCHEDULABLE, false),
            node("p5", DriverKind.PROCESS, "eu", Map.of(), 64000, 65536, Status.READY, Mode.CORDONED, false),
            node("p6", DriverKind.PROCESS, "eu", Map.of(), 64000, 65536, Status.READY, Mode.DRAINING, false),
            node("i1", DriverKind.PROCESS, "eu", Map.of(), 64000, 65536, Status.INDEPENDENT, Mode.SCHEDULABLE, true),
            node("d1", DriverKind.DOCKER, "eu", Map.of(), 8000, 16384, Status.READY, Mode.SCHEDULABLE, false));

    private final Placer placer = new ScoringPlacer();

    @ParameterizedTest(name = "[{index}] {0} {1} sel=''{2}'' regions=''{3}'' {4}m/{5}Mi x{8} alloc=''{6}'' counts=''{7}'' -> {9}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # kind  | strategy | selector  | regions | cpu  | MiB   | allocated     | app counts | n | expected (!: the error)
            process | SPREAD   |           |         | 100  | 1024  |               |            | 1 | p2
            process | SPREAD   |           |         | 100  | 1024  |               |            | 3 | p2,p3,p1
            process | SPREAD   |           |         | 100  | 1024  |               | p2=2;p3=1  | 1 | p1
            process | SPREAD   |           |         | 100  | 1024  | p2=0/8192     |            | 1 | p3
            process | SPREAD   |           |         | 100  | 8192  |               |            | 3 | p2,p3
            process | SPREAD   | disk=ssd  |         | 100  | 1024  |               |            | 2 | p1,p1
            process | SPREAD   | !disk     |         | 100  | 1024  |               |            | 1 | p3
            process | SPREAD   |           | us      | 100  | 1024  |               |            | 2 | p3,p3
            process | SPREAD   |           | eu;us   | 100  | 1024  |               | p2=1       | 1 | p3
            process | BINPACK  |           |         | 100  | 1024  |               |            | 3 | p1,p1,p1
            process | BINPACK  |           |         | 100  | 2048  |               |            | 3 | p1,p1,p3
            process | BINPACK  |           |         | 100  | 1024  |               | p2=1       | 2 | p2,p2
            docker  | SPREAD   |           |         | 100  | 1024  |               |            | 2 | d1,d1
            docker  | SPREAD   |           | us      | 100  | 1024  |               |            | 1 | !no READY docker node in region us
            process | SPREAD   | disk=nvme |         | 100  | 1024  |               |            | 1 | "!node selector 'disk=nvme' matched no node (of 3 READY process nodes)"
            process | SPREAD   |           |         | 100  | 9000  |               |            | 1 | !not enough memory on any of 3 nodes: needs 9000 MiB, most free 8192 MiB
            process | SPREAD   |           | eu      | 100  | 512   | p1=0/4096;p2=0/7936 |      | 1 | !not enough memory on any of 2 nodes: needs 512 MiB, most free 256 MiB
            process | SPREAD   |           |         | 5000 | 1024  |               |            | 1 | !not enough CPU on any of 3 nodes: needs 5000m, most free 4000m
            process | SPREAD   |           |         | 3000 | 6000  | p2=2000/0     |            | 1 | !not enough CPU and memory together on any of 3 nodes: needs 3000m and 6000 MiB
            """)
    void place_fleetAndSpec_choosesNodesOrNamesWhyNot(String kind, PlacementStrategy strategy, String selector,
                                                      String regions, long cpu, long mebibytes, String allocated,
                                                      String appCounts, int count, String expected) {
        AppSpec spec = spec(DriverKind.valueOf(kind.toUpperCase()), strategy, selector, regions, cpu, mebibytes);

        if (expected.startsWith("!")) {
            ResourceExhaustedException e = assertThrows(ResourceExhaustedException.class,
                    () -> placer.place(spec, count, FLEET, allocated(allocated), counts(appCounts)));
            assertEquals(expected.substring(1), e.getMessage());
        } else {
            assertEquals(List.of(expected.split(",")),
                    placer.place(spec, count, FLEET, allocated(allocated), counts(appCounts)));
        }
    }

    @Test
    void place_noNodeOfTheKindAcceptsPlacements_saysHowManyThereAre() {
        List<FleetNode> fleet = List.of(
                node("d1", DriverKind.DOCKER, "eu", Map.of(), 8000, 16384, Status.SUSPECT, Mode.SCHEDULABLE, false),
                node("d2", DriverKind.DOCKER, "eu", Map.of(), 8000, 16384, Status.READY, Mode.CORDONED, false));
        AppSpec spec = spec(DriverKind.DOCKER, PlacementStrategy.SPREAD, "", "", 100, 64);

        assertEquals("no READY docker node (2 docker nodes, none READY, schedulable and not independent)",
                assertThrows(ResourceExhaustedException.class, () -> placer.place(spec, 1, fleet, Map.of(), Map.of()))
                        .getMessage());
        assertEquals("no READY docker node", assertThrows(ResourceExhaustedException.class,
                () -> placer.place(spec, 1, List.of(), Map.of(), Map.of())).getMessage());
    }

    @Test
    void place_containerSpec_neverLandsOnAProcessNode() {
        AppSpec spec = spec(DriverKind.DOCKER, PlacementStrategy.SPREAD, "", "", 100, 64);

        assertEquals(List.of("d1", "d1", "d1", "d1", "d1"), placer.place(spec, 5, FLEET, Map.of(), Map.of()));
    }

    @Test
    void place_invalidSelector_isInvalidArgumentNamingTheField() {
        AppSpec spec = spec(DriverKind.PROCESS, PlacementStrategy.SPREAD, "=ssd", "", 100, 64);

        assertThrows(InvalidArgumentException.class, () -> placer.place(spec, 1, FLEET, Map.of(), Map.of()));
    }

    @Test
    void place_zeroReplicas_placesNothingEvenWhenNothingFits() {
        AppSpec spec = spec(DriverKind.PROCESS, PlacementStrategy.SPREAD, "", "", 100, 1 << 20);

        assertTrue(placer.place(spec, 0, FLEET, Map.of(), Map.of()).isEmpty());
    }

    @Test
    void place_sameInput_sameAnswer() {
        AppSpec spec = spec(DriverKind.PROCESS, PlacementStrategy.SPREAD, "", "", 10, 16);
        List<String> first = placer.place(spec, 50, FLEET, Map.of(), Map.of());

        List<FleetNode> reversed = new java.util.ArrayList<>(FLEET);
        java.util.Collections.reverse(reversed);

        assertEquals(first, placer.place(spec, 50, reversed, Map.of(), Map.of()));
        assertEquals(first, placer.place(spec, 50, FLEET, Map.of(), Map.of()));
    }

    private static AppSpec spec(DriverKind kind, PlacementStrategy strategy, String selector, String regions, long cpu,
                                long mebibytes) {
        AppSpec base = Fixtures.spec();
        Runtime runtime = switch (kind) {
            case PROCESS -> base.runtime();
            case DOCKER -> new Runtime.Container("demo:1", "", List.of(), ImagePullPolicy.NEVER);
            case KUBERNETES -> throw new IllegalArgumentException("no kubernetes runtime");
        };
        List<String> regionList = regions == null || regions.isEmpty() ? List.of() : Arrays.asList(regions.split(";"));
        return new AppSpec(runtime, base.env(), base.ports(), base.replicas(),
                new ResourceRequirements(new ComputeResources(cpu, mebibytes * MIB), ComputeResources.ZERO),
                base.healthCheck(), base.restartPolicy(),
                new Placement(selector == null ? "" : selector, regionList, strategy), base.deploymentStrategy(),
                base.rollingUpdate());
    }

    private static FleetNode node(String name, DriverKind kind, String region, Map<String, String> labels, long cpu,
                                  long mebibytes, Status status, Mode mode, boolean independent) {
        return new FleetNode(name, kind, kind == DriverKind.DOCKER ? "unix:///var/run/docker.sock" : "local",
                "127.0.0.1", region, labels, new ComputeResources(cpu, mebibytes * MIB), status, mode, null, independent);
    }

    /** "p1=cpu/MiB;p2=cpu/MiB" */
    private static Map<String, ComputeResources> allocated(String text) {
        Map<String, ComputeResources> allocated = new HashMap<>();
        if (text != null) {
            for (String entry : text.split(";")) {
                String[] nameAndValue = entry.split("=");
                String[] value = nameAndValue[1].split("/");
                allocated.put(nameAndValue[0].trim(),
                        new ComputeResources(Long.parseLong(value[0]), Long.parseLong(value[1]) * MIB));
            }
        }
        return allocated;
    }

    /** "p1=2;p2=1" */
    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new HashMap<>();
        if (text != null) {
            for (String entry : text.split(";")) {
                String[] nameAndValue = entry.split("=");
                counts.put(nameAndValue[0].trim(), Integer.parseInt(nameAndValue[1].trim()));
            }
        }
        return counts;
    }
}
