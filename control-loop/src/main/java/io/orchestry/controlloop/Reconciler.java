package io.orchestry.controlloop;

/**
 * Brings one key's observed state to its desired state. Level-triggered: it is given only the key,
 * re-reads both sides itself, and must be safe to call again for the same key at any time (a
 * resync, a duplicate event, a retry after a crash). A {@link Controller} never runs it for one key
 * on two threads at once.
 *
 * @param <K> the key type, e.g. a node name; must have value equality
 */
@FunctionalInterface
public interface Reconciler<K> {

    /**
     * Makes what runs match what is wanted for one key, reading both afresh.
     *
     * @return done, requeue after a delay, or terminal
     * @throws Exception for a failure that may pass: the key is retried with exponential backoff
     */
    Result reconcile(K key) throws Exception;
}
