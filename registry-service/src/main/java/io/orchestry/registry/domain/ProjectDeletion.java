package io.orchestry.registry.domain;

import java.util.List;

/** What an attempt to delete a project came to: the rule about holds is the domain's, the lock is the repository's. */
public sealed interface ProjectDeletion {

    /** The project is gone (with its holds). */
    record Deleted() implements ProjectDeletion {
    }

    /** There was no such project (of that organization). */
    record Missing() implements ProjectDeletion {
    }

    /** Not deleted: these holds remain and it was not forced. */
    record Held(List<String> holds) implements ProjectDeletion {
        public Held {
            holds = List.copyOf(holds);
        }
    }
}
