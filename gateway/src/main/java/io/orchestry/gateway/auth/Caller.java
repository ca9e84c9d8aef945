package io.orchestry.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.PermissionDeniedException;

/**
 * Who is calling: the token's id, its role, and its organization ({@code null} for a cluster-wide
 * token). Controllers ask it before they call a service; it throws the error the caller should see.
 *
 * <p>Another organization's resources do not exist for a caller: touching one is a 404, never a 403,
 * so that names cannot be probed.
 */
public record Caller(String tokenId, Role role, @Nullable String organization) {

    public boolean clusterWide() {
        return organization == null;
    }

    /** True when resources of {@code org} ({@code null}: cluster-wide ones) are visible to this caller. */
    public boolean sees(@Nullable String org) {
        return organization == null || organization.equals(org);
    }

    /** Any scope, at least {@code least}. */
    public void require(Role least) {
        if (!role.includes(least)) {
            throw new PermissionDeniedException("this needs the " + least.value() + " role; token " + tokenId
                    + " has " + role.value());
        }
    }

    /** Cluster-wide resources (nodes, creating organizations): a cluster-wide token of at least {@code least}. */
    public void requireCluster(Role least) {
        if (!clusterWide()) {
            throw new PermissionDeniedException("this needs a cluster-wide token; token " + tokenId
                    + " belongs to organization '" + organization + "'");
        }
        require(least);
    }

    /**
     * A resource of organization {@code org}: 404 (as {@code kind}/{@code name}) when it is not
     * visible to this caller, 403 when it is but the role is too low.
     */
    public void requireIn(String org, Role least, String kind, String name) {
        if (!sees(org)) {
            throw new NotFoundException(kind, name);
        }
        require(least);
    }
}
