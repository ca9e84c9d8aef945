package io.orchestry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The processes the process driver runs for one project, found the way the driver marks them: every workload gets
 * {@code ORCHESTRY_PROJECT} and {@code ORCHESTRY_APP} in its environment. Read from {@code /proc}, so the count
 * does not depend on what the provisioner believes.
 */
final class WorkloadProcesses {
    private WorkloadProcesses() {
    }

    /** pid → app of every live process of {@code project}. */
    static Map<Long, String> of(String project) {
        String projectEntry = "ORCHESTRY_PROJECT=" + project;
        Map<Long, String> found = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(dir -> {
                String app = appOf(dir, projectEntry);
                if (app != null) {
                    found.put(Long.parseLong(dir.getFileName().toString()), app);
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    private static String appOf(Path dir, String projectEntry) {
        try {
            String app = null;
            boolean ours = false;
            for (String entry : new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.UTF_8).split("\0")) {
                if (entry.equals(projectEntry)) {
                    ours = true;
                } else if (entry.startsWith("ORCHESTRY_APP=")) {
                    app = entry.substring("ORCHESTRY_APP=".length());
                }
            }
            return ours ? app : null;
        } catch (IOException | SecurityException goneOrNotOurs) {
            return null;
        }
    }

    /** SIGKILLs every process of {@code project} still alive (what a benchmark caused and could not stop otherwise). */
    static int killAll(String project) {
        int killed = 0;
        for (Long pid : of(project).keySet()) {
            if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                killed++;
            }
        }
        return killed;
    }
}
