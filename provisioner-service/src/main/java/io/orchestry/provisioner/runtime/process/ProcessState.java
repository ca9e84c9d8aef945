package io.orchestry.provisioner.runtime.process;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.InstancePort;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code <workDir>/<id>/state.json} records of one workload, so a restarted provisioner re-attaches to it.
 *
 * @param startTicks the process's start time ({@code /proc/<pid>/stat} field 22): a live pid is adopted only when it
 *                   matches, so a reused pid never is
 * @param command    the resolved executable and the expanded args (what exec and people see)
 * @param env        the workload's whole environment (exec runs with it)
 * @param labels     our owner labels; a state without them is not ours
 * @param specHash   what was asked for, to tell a changed spec
 * @param cgroups    the cgroup folders the process was put in (empty: limits recorded, not enforced)
 * @param exitCode   once known
 */
record ProcessState(String id, long pid, long startTicks, List<String> command, String workingDir,
                    Map<String, String> env, List<InstancePort> ports, String host, Map<String, String> labels,
                    String specHash, ComputeResources limits, List<String> cgroups, Instant startedAt,
                    @Nullable Integer exitCode, @Nullable Instant finishedAt, String error) {
    ProcessState {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
        cgroups = List.copyOf(cgroups);
    }

    ProcessState exited(@Nullable Integer code, Instant at, String why) {
        return new ProcessState(id, pid, startTicks, command, workingDir, env, ports, host, labels, specHash, limits,
                cgroups, startedAt, code, at, why);
    }

    boolean finished() {
        return finishedAt != null;
    }
}
