package io.orchestry.provisioner.observe;

import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceRepository;

import java.util.Optional;
import java.util.function.Function;

/**
 * The observe loops' one way to change an instance: read the row as it is now, derive the change from that, write it
 * when it differs, one change at a time. So the observer and the prober never undo each other with a row read earlier.
 */
public final class InstanceWriter {
    private final InstanceRepository instances;

    public InstanceWriter(InstanceRepository instances) {
        this.instances = instances;
    }

    /**
     * @param change the row it should be, from the row as it is; empty: leave it
     * @return the row written, empty when nothing was
     */
    public synchronized Optional<Instance> change(String id, Function<Instance, Optional<Instance>> change) {
        Optional<Instance> current = instances.find(id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instance> next = change.apply(current.get());
        if (next.isEmpty() || next.get().equals(current.get())) {
            return Optional.empty();
        }
        instances.update(next.get());
        return next;
    }
}
