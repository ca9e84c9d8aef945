package io.orchestry.provisioner.runtime.process;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The process driver ({@code orchestry.process.*}, e.g. env ORCHESTRY_PROCESS_WORK_DIR).
 *
 * @param workDir     where each node's workloads get {@code <node>/<id>/state.json}, {@code <id>/logs/}, {@code <id>/work/};
 *                    default {@code ${java.io.tmpdir}/orchestry-process} (dev mode sets its own)
 * @param stopGrace   SIGTERM to SIGKILL when the driver stops a workload on its own (destroy, provisioner exit)
 * @param stopOnExit  on a normal provisioner exit, stop every workload this driver runs (after kill -9 they keep
 *                    running and the next provisioner adopts them)
 * @param logMaxBytes a log file is rotated past this size
 * @param logFiles    files kept per stream, the current one included
 */
@ConfigurationProperties("orchestry.process")
public record ProcessConfig(@Nullable Path workDir,
                            @Bindable(defaultValue = "15s") Duration stopGrace,
                            @Bindable(defaultValue = "true") boolean stopOnExit,
                            @Bindable(defaultValue = "10485760") long logMaxBytes,
                            @Bindable(defaultValue = "3") int logFiles) {
    public ProcessConfig {
        if (workDir == null) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "orchestry-process");
        }
        if (stopGrace == null) {
            stopGrace = Duration.ofSeconds(15);
        }
        if (logMaxBytes <= 0) {
            logMaxBytes = 10L * 1024 * 1024;
        }
        if (logFiles < 1) {
            logFiles = 3;
        }
    }

    /**
     * The same settings with the work folder of one node ({@code <workDir>/<node>}): two process nodes on one machine
     * (a second "local" node, as a test or a drain onto it makes) never list or adopt each other's workloads.
     */
    public ProcessConfig forNode(String nodeName) {
        return new ProcessConfig(workDir.resolve(nodeName), stopGrace, stopOnExit, logMaxBytes, logFiles);
    }
}
