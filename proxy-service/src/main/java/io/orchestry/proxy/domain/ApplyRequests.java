package io.orchestry.proxy.domain;

import java.util.concurrent.CompletableFuture;

/**
 * Asks for the configuration to be rendered and applied (implemented by the apply loop, on the leader). Requests that
 * arrive while one waits or runs coalesce into one rendering.
 */
public interface ApplyRequests {
    /**
     * Renders the current routes and upstreams and applies them if they differ from what nginx runs ({@code MANUAL}
     * applies even when nothing changed).
     *
     * @return completes with the revision that carries this request once its outcome is final (APPLIED,
     *         REJECTED_BY_NGINX_TEST, RELOAD_FAILED, ROLLED_BACK), or with the current revision when nothing changed;
     *         fails with {@code IllegalStateException} when this replica does not apply (not the leader, nginx off)
     */
    CompletableFuture<Revision> request(RevisionTrigger trigger, String reason);

    /** The revision rendered for the newest request so far (PENDING while it waits), if any: for an RPC that stops waiting. */
    java.util.Optional<Revision> latest();
}
