package io.orchestry.controlloop;

/**
 * Told when this replica gains or loses the leadership, on the election's thread, one call at a
 * time and in order. A listener should be quick: the election does not contend or validate while
 * it runs ({@link LeaderGate} waits for the reconciles in flight, which are short).
 */
public interface LeadershipListener {

    /** This replica leads, under {@code epoch}: start the loops. */
    void elected(long epoch);

    /** This replica no longer leads (its connection failed, or it stops): stop the loops now. */
    void deposed();
}
