package io.orchestry.provisioner.runtime;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;

import java.util.List;
import java.util.Map;

/**
 * One workload to start. For processes the driver picks a free port on the node for every port and passes them as
 * {@code $PORT} (the first) and {@code $PORT_<NAME>} (each, upper-cased, '-' as '_'), and expands {@code ${PORT}} style
 * references in the args; for containers it publishes every container port on {@code node.address()}.
 * <p>
 * Every driver also sets, for every workload, {@code ORCHESTRY_INSTANCE} (the id), {@code ORCHESTRY_APP},
 * {@code ORCHESTRY_PROJECT} and {@code ORCHESTRY_REVISION} from the {@link OwnerLabels}, on top of {@code env} (they win
 * over an app variable of the same name). The demo app answers them on {@code GET /}.
 *
 * @param env    the app's variables (PORT and PORT_* are reserved and never in here)
 * @param limits zero on an axis: no limit
 */
public record WorkloadSpec(WorkloadId id, OwnerLabels owner, Runtime runtime, Map<String, String> env,
                           List<PortSpec> ports, ComputeResources limits) {
    public WorkloadSpec {
        env = Map.copyOf(env);
        ports = List.copyOf(ports);
    }
}
