package io.orchestry.provisioner.domain;

/**
 * What this provisioner's own node agent last found when it fingerprinted a node, since it became leader. The
 * provisioner heartbeats for the nodes it drives, so a registry's DOWN can be its own absence (a restart longer than
 * the registry's down-after) rather than the node's: the reconciler honours DOWN only for a node the agent tried and
 * could not reach, and never kills replicas it can still see because it was away.
 */
public interface NodeReach {
    enum Reach {
        /** The last fingerprint found the node healthy. */
        ANSWERS,
        /** The last fingerprint failed, timed out or found the node unhealthy. */
        SILENT,
        /** Not fingerprinted since this provisioner became leader. */
        UNKNOWN
    }

    Reach of(String node);
}
