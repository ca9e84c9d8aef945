package io.orchestry.provisioner.grpc;

import io.micronaut.context.ApplicationContext;
import io.orchestry.controlloop.Leadership;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The provisioner's whole context, closed as a normal exit closes it (beans destroyed in the context's order, the
 * election among them): the leader's stop-on-exit leaves no process behind. Closing the factory on its own (the
 * driver ITs) could not show that the context's order defeats it.
 */
class ProvisionerExitTest {

    @Test
    void contextClose_ofTheLeader_stopsTheProcessesItsDriversRun() throws Exception {
        Path work = Files.createTempDirectory("provisioner-exit");
        Map<String, Object> properties = new HashMap<>(EmbeddedDatabase.shared().datasourceProperties("provisioner_exit_test"));
        properties.put("orchestry.process.work-dir", work.toString());
        properties.put("orchestry.process.stop-grace", "2s");
        long pid = 0;
        ApplicationContext context = ApplicationContext.run(properties, "test");
        try {
            Leadership leadership = context.getBean(Leadership.class);
            long end = System.nanoTime() + 60_000_000_000L;
            while (!leadership.isLeader()) {
                if (System.nanoTime() > end) {
                    fail("the only provisioner never led");
                }
                Thread.sleep(50);
            }
            NodeTarget node = new NodeTarget("exit-node", DriverKind.PROCESS, "local", "127.0.0.1");
            OwnerLabels owner = new OwnerLabels("exit", "exit", 1, "orchestry-exit-1-0", Instant.now());
            WorkloadHandle handle = context.getBean(Drivers.class).forNode(node).start(new WorkloadSpec(
                    new WorkloadId(owner.instance()), owner, new Runtime.Process("/bin/sleep", List.of("120"), ""),
                    Map.of(), List.of(), ComputeResources.ZERO));
            pid = Long.parseLong(handle.runtimeId().split(":")[0]);
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "it runs");
        } finally {
            context.close();
        }
        long started = pid;
        boolean left = ProcessHandle.of(started).map(ProcessHandle::isAlive).orElse(false);
        ProcessHandle.of(started).ifPresent(ProcessHandle::destroyForcibly); // whatever the outcome
        try (Stream<Path> tree = Files.walk(work)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertFalse(left, "nothing left behind");
    }
}
