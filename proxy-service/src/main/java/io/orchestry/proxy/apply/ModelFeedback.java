package io.orchestry.proxy.apply;

import io.orchestry.proxy.render.ProxyModel;

/**
 * Told what became of each model the apply loop rendered, by a model supplier that cares (ModelSource keeps a route
 * whose probe failed at its last applied form, so one broken route does not hold back every later change).
 */
public interface ModelFeedback {
    /** Whether a model can be built now: not before the upstreams are known (an empty list would render every route 503). */
    default boolean ready() {
        return true;
    }

    void applied(ProxyModel model);

    /** @param routeId the route whose probe failed; the previous revision serves again */
    void rolledBack(ProxyModel model, String routeId);
}
