package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.domain.ComputeResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupsTest {
    private static final List<String> V1 = List.of("9:name=systemd:/", "4:memory:/process_api/abc", "2:cpu,cpuacct:/svc", "0::/");

    @Test
    void ownPath_perController_v1AndV2() {
        assertEquals(Optional.of("/process_api/abc"), Cgroups.ownPath(V1, "memory"));
        assertEquals(Optional.of("/svc"), Cgroups.ownPath(V1, "cpu"));
        assertEquals(Optional.of("/"), Cgroups.ownPath(V1, ""));
        assertEquals(Optional.empty(), Cgroups.ownPath(List.of("0::/user.slice"), "memory"));
    }

    @Test
    void detect_noControllers_recordsOnlyAndSaysWhy(@TempDir Path root) throws Exception {
        Cgroups none = Cgroups.detect(root, V1);

        assertFalse(none.enforces());
        assertTrue(none.why().contains("no cgroup v1"), none.why());
        assertEquals(List.of(), none.create("orchestry-web-1-0", new ComputeResources(500, 1 << 20)));
    }

    @Test
    void detect_plainFoldersWithoutControllerFiles_isNotEnforcing(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("memory/process_api/abc"));
        Files.createDirectories(root.resolve("cpu/svc"));

        Cgroups cgroups = Cgroups.detect(root, V1);

        assertFalse(cgroups.enforces());
        assertTrue(cgroups.why().contains("memory.limit_in_bytes"), cgroups.why());
    }
}
