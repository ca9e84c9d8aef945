package io.orchestry.proxy.domain;

import java.util.List;
import java.util.Optional;

/** Stored revisions (implemented in persistence; every write commits with its proxy event, fenced by the leader's epoch). */
public interface RevisionRepository {
    /** Stores a new PENDING revision with the next number; every older PENDING one becomes SUPERSEDED in the same commit. */
    Revision create(String config, String checksum, RevisionTrigger trigger, String reason);

    /** Sets a final outcome (and its error, empty for APPLIED) and the finish time. */
    Revision finish(long number, RevisionOutcome outcome, String error);

    Optional<Revision> get(long number);

    /** The newest APPLIED revision: what nginx runs (or ran last). */
    Optional<Revision> current();

    /** Newest first, without their config; outcomes empty: all. */
    List<Revision> list(int limit, long beforeNumber, java.util.Set<RevisionOutcome> outcomes);
}
