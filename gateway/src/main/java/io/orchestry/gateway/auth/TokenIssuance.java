package io.orchestry.gateway.auth;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.registry.v1.GetOrganizationRequest;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * Making a token, with the rules around it: which organization it belongs to, that the organization
 * exists in the registry, and that a token made while its organization was being deleted does not
 * outlive it (the deletion revoked the organization's tokens before this one was written, so this
 * one is revoked here and refused).
 */
@Singleton
public class TokenIssuance {
    private final TokenService tokens;
    private final ServiceStubs stubs;

    public TokenIssuance(TokenService tokens, ServiceStubs stubs) {
        this.tokens = tokens;
        this.stubs = stubs;
    }

    /**
     * The organization a token that {@code caller} asks for belongs to: a cluster-wide admin names any
     * existing one or none (cluster-wide); an organization's admin gets its own, and another
     * organization does not exist for it (404).
     */
    public @Nullable String organizationFor(String requestId, Caller caller, @Nullable String requested) {
        if (caller.clusterWide()) {
            if (requested != null && !organizationExists(requestId, requested)) {
                throw new InvalidArgumentException("organization", "no organization '" + requested + "'");
            }
            return requested;
        }
        if (requested == null) {
            return caller.organization();
        }
        if (!caller.sees(requested)) {
            throw new NotFoundException("organization", requested);
        }
        return requested;
    }

    /** Makes the token of {@code organization} ({@link #organizationFor}); its secret is in the answer and nowhere else. */
    public TokenService.Issued issue(String requestId, Caller caller, String name, Role role, @Nullable String organization,
                                     @Nullable Instant expiresAt) {
        TokenService.Issued issued = tokens.create(caller, name, role, organization, expiresAt);
        if (organization != null && !organizationExists(requestId, organization)) {
            // deleted while the token was being made, after its tokens were revoked: revoke this one too
            tokens.revoke(caller, issued.token().id());
            throw new InvalidArgumentException("organization", "organization '" + organization + "' was deleted meanwhile");
        }
        return issued;
    }

    private boolean organizationExists(String requestId, String organization) {
        try {
            stubs.registry(requestId).getOrganization(GetOrganizationRequest.newBuilder().setName(organization).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                return false;
            }
            throw e;
        }
    }
}
