package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.Revision;

import java.util.List;
import java.util.Optional;

/** Puts one rendered revision in front of traffic, or leaves the previous one serving (NginxApplier). */
@FunctionalInterface
public interface RevisionApplier {
    /**
     * @param previous what nginx runs now (restored on failure); empty on the first apply
     * @param probes   one per route whose rendered part changed
     */
    ApplyOutcome apply(Optional<Revision> previous, Revision next, List<RouteProbe> probes);
}
