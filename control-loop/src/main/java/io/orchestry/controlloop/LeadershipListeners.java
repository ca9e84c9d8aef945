package io.orchestry.controlloop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners of one {@link Leadership}, told in order. Registration and transitions take the
 * same lock, so a listener added while the replica becomes leader hears of it exactly once. A
 * listener that throws (anything, an Error too) is logged and does not keep the others from hearing.
 */
final class LeadershipListeners {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipListeners.class);

    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private boolean leading;
    private long epoch;

    synchronized void add(LeadershipListener listener) {
        listeners.add(listener);
        if (leading) {
            tellElected(listener, epoch);
        }
    }

    void remove(LeadershipListener listener) {
        listeners.remove(listener);
    }

    synchronized void elected(long epoch) {
        this.leading = true;
        this.epoch = epoch;
        for (LeadershipListener listener : listeners) {
            tellElected(listener, epoch);
        }
    }

    synchronized void deposed() {
        if (!leading) {
            return;
        }
        leading = false;
        for (LeadershipListener listener : listeners) {
            try {
                listener.deposed();
            } catch (Throwable e) { // an Error too: it must not kill the election's thread half-way
                LOG.error("a leadership listener failed on deposed", e);
            }
        }
    }

    private static void tellElected(LeadershipListener listener, long epoch) {
        try {
            listener.elected(epoch);
        } catch (Throwable e) { // an Error too: the other listeners still hear, the election goes on
            LOG.error("a leadership listener failed on elected({})", epoch, e);
        }
    }
}
