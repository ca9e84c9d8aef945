package io.orchestry.provisioner.domain;

import java.util.List;
import java.util.Optional;

/** The registry's nodes as last seen (list-then-watch), and the listeners told when one changes. */
public interface Fleet {

    List<FleetNode> nodes();

    /**
     * Whether the first list of nodes has arrived. Before it the fleet is not empty but unknown: the reconciler and the
     * orphan reaper wait (an empty fleet would make every replica look lost, then every workload an orphan).
     */
    boolean listed();

    Optional<FleetNode> node(String name);

    /** Called with the node's name after every change the watch delivers (status, mode, labels, removal). */
    void addListener(java.util.function.Consumer<String> nodeChanged);
}
