package io.orchestry.gateway;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The REST gateway: turns /api/v1 into calls to the services' gRPC contracts. */
@OpenAPIDefinition(
        info = @Info(title = "Orchestry", version = "v1", description = """
                The Orchestry control plane: nodes, organizations and projects, API tokens, the audit log, \
                live events and the state of every service.

                **Authentication.** Every call but `/health` needs `Authorization: Bearer <token>`. Dev mode \
                prints a cluster-wide admin token at start-up: press *Authorize* and paste it. \
                `POST /api/v1/tokens` makes more, each with a role in an organization.

                **Roles.** `viewer` reads; `operator` also acts on its organization's apps, databases and \
                routes; `admin` also manages its organization, its projects and its tokens. A token without \
                an organization is cluster-wide: only a cluster-wide admin changes nodes or creates \
                organizations. Another organization's resources answer 404.

                **Errors** are `application/problem+json` (RFC 9457) with `type`, `title`, `status`, \
                `detail`, `instance`, `reason`, and `errors[]` of `{field, message}` for invalid input. \
                503 carries `Retry-After`.

                **Lists** take `limit` (0 or absent: 100; at most 1000, a larger one is clipped) and an opaque \
                `pageToken`, and answer `nextPageToken` while there is more. \
                **Request ids**: send `X-Request-Id` or get one; it is returned and passed to every service."""),
        security = @SecurityRequirement(name = "bearer"),
        tags = {
                @Tag(name = "nodes", description = "The fleet: register, heartbeat, cordon, drain"),
                @Tag(name = "tenants", description = "Organizations and their projects"),
                @Tag(name = "tokens", description = "API tokens and roles"),
                @Tag(name = "audit", description = "Who changed what, when, with what outcome"),
                @Tag(name = "ops", description = "Status, overview, cluster, infrastructure, live events")})
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "API token",
        description = "An API token's secret (dev mode prints a cluster-wide admin one)")
public final class GatewayApplication {
    private GatewayApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).mainClass(GatewayApplication.class).start();
    }
}
