package io.orchestry.gateway.tenant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.orchestry.gateway.audit.AuditLog;
import io.orchestry.gateway.auth.TokenService;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.registry.v1.DeleteOrganizationRequest;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Deleting an organization: when forced, its projects' databases are deleted first (through the
 * provisioner); the registry deletes it (refusing while it has projects, unless forced); then, in one transaction of the gateway's database, its tokens are revoked and its audit
 * records filed under its name and the time of deletion, so that a new organization of the same
 * name starts clean. Once that commits, the revoked tokens stop working on this gateway at once.
 */
@Singleton
public class OrganizationDeletion {
    private final ServiceStubs stubs;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Transactions transactions;
    private final ProjectDatabases databases;

    public OrganizationDeletion(ServiceStubs stubs, TokenService tokens, AuditLog audit, Transactions transactions,
                                ProjectDatabases databases) {
        this.stubs = stubs;
        this.databases = databases;
        this.tokens = tokens;
        this.audit = audit;
        this.transactions = transactions;
    }

    private record Retired(List<String> tokenIds, String label) {
    }

    /**
     * Deletes {@code organization}; returns the label its audit records now carry. When the
     * registry no longer has it, a delete whose revocation failed before is finished (its tokens
     * are revoked) and the registry's NOT_FOUND is answered.
     */
    public String delete(String requestId, String organization, boolean force) {
        try {
            if (force) {
                databases.removeAllOf(requestId, organization);
            }
            stubs.registry(requestId).deleteOrganization(DeleteOrganizationRequest.newBuilder()
                    .setName(organization).setForce(force).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                tokens.revokeOrganization(organization);
            }
            throw e;
        }
        Retired retired = transactions.write(() ->
                new Retired(tokens.revokeStoredTokensOf(organization), audit.retireOrganization(organization)));
        tokens.forgetRevoked(retired.tokenIds());
        return retired.label();
    }
}
