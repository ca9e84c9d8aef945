package io.orchestry.registry.domain;

/**
 * Whether a write is a leader's: a leader-only loop's write carries the election and the epoch it
 * was elected with, and the repository checks them in the writing transaction, so that a deposed
 * leader's late write is refused. Writes any replica may make carry {@link #NONE}.
 */
public record Fencing(String election, long epoch) {
    public static final Fencing NONE = new Fencing("", 0);

    public boolean fenced() {
        return !election.isEmpty();
    }
}
