package io.orchestry.provisioner.fleet;

import io.orchestry.provisioner.domain.NodeReach;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node agent's findings, node by node, for the reconciler ({@link NodeReach}); forgotten when leadership changes.
 * A node is SILENT only after {@link #SILENT_AFTER} failed rounds in a row: one fingerprint that times out on a busy
 * machine right after a restart must not replace every replica on a node the registry shows DOWN only because this
 * provisioner was away. Until then it keeps what it was (ANSWERS, or UNKNOWN when it never answered).
 */
@Singleton
public final class AgentReach implements NodeReach {
    /** Failed rounds in a row that make a node SILENT (about the registry's suspect-after at its interval). */
    static final int SILENT_AFTER = 3;

    private record Seen(boolean answered, int failures) {
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    @Override
    public Reach of(String node) {
        Seen s = seen.get(node);
        if (s == null) {
            return Reach.UNKNOWN;
        }
        if (s.failures() >= SILENT_AFTER) {
            return Reach.SILENT;
        }
        return s.answered() ? Reach.ANSWERS : Reach.UNKNOWN;
    }

    void answered(String node) {
        seen.put(node, new Seen(true, 0));
    }

    void silent(String node) {
        seen.merge(node, new Seen(false, 1), (was, now) -> new Seen(was.answered(), was.failures() + 1));
    }

    void clear() {
        seen.clear();
    }
}
