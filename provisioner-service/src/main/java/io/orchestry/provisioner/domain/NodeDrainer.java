package io.orchestry.provisioner.domain;

import java.time.Instant;

/** Moves every replica off a node before the deadline (the reconciler does the moving). */
public interface NodeDrainer {

    /** Starts (or continues) the drain and returns at once: the instances still on the node, 0 when drained. */
    int drain(String nodeName, Instant deadline);
}
