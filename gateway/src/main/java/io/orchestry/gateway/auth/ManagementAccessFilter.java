package io.orchestry.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.orchestry.error.PermissionDeniedException;
import io.orchestry.gateway.error.ProblemResponses;

/**
 * Outside {@code /api/} the gateway serves management endpoints ({@code /prometheus}), which show
 * the whole cluster: only cluster-wide tokens pass. Runs after the audit filter, so a refused
 * mutation there is audited like any other.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class ManagementAccessFilter implements Ordered {

    @Override
    public int getOrder() {
        return AuthenticationFilter.ORDER + 20;
    }

    @RequestFilter
    public @Nullable HttpResponse<?> clusterWideOnly(HttpRequest<?> request) {
        String path = request.getPath();
        Caller caller = AuthenticationFilter.callerIfAny(request).orElse(null);
        if (caller == null || path.startsWith("/api/") || caller.clusterWide()) {
            return null; // public paths carry no caller; /api/ authorizes per endpoint
        }
        return ProblemResponses.of(new PermissionDeniedException("management endpoints need a cluster-wide token; token "
                + caller.tokenId() + " belongs to organization '" + caller.organization() + "'"), request);
    }
}
