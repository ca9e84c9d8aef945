package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.orchestry.gateway.audit.AuditLog;
import io.orchestry.gateway.auth.ApiToken;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.auth.TokenIssuance;
import io.orchestry.gateway.auth.TokenService;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;

import java.net.URI;

/**
 * {@code /api/v1/tokens}: API tokens. Admins manage the tokens of their organization; a
 * cluster-wide admin manages all of them and makes cluster-wide ones.
 */
@Controller("/api/v1/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "tokens")
public class TokenController {
    private final TokenService tokens;
    private final TokenIssuance issuance;

    public TokenController(TokenService tokens, TokenIssuance issuance) {
        this.tokens = tokens;
        this.issuance = issuance;
    }

    /** Creates a token; its secret is in this response and nowhere else, ever. */
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<TokenJson.Created> create(HttpRequest<?> request, @Body TokenJson.Create body) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.ADMIN);
        Role role = Role.parse(body.role(), "role");
        String requestId = RequestIdFilter.requestId(request);
        String organization = issuance.organizationFor(requestId, caller, body.organization());
        AuditLog.touches(request, organization);
        TokenService.Issued issued = issuance.issue(requestId, caller, body.name(), role, organization, body.expireTime());
        return HttpResponse.created(TokenJson.Created.of(issued.token(), issued.secret()),
                URI.create("/api/v1/tokens/" + issued.token().id()));
    }

    /**
     * Active tokens, oldest first: the caller's organization's, or (cluster-wide admins) all or {@code organization}'s.
     *
     * @param organization cluster-wide admins: only this organization's tokens
     * @param limit        page size: 0 (the default) means 100, at most 1000 (a larger one is clipped)
     * @param pageToken    {@code nextPageToken} of the previous page
     */
    @Get
    public TokenJson.Page list(HttpRequest<?> request, @Nullable @QueryValue String organization,
                               @QueryValue(defaultValue = "0") int limit, @Nullable @QueryValue String pageToken) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.ADMIN);
        PageRequest page = PageRequest.of("tokens", limit, pageToken, "limit", "pageToken");
        String scope = caller.clusterWide() ? organization : caller.organization();
        Page<ApiToken> found = tokens.list(scope, page);
        return new TokenJson.Page(found.items().stream().map(TokenJson.Token::of).toList(),
                found.hasNext() ? found.nextPageToken() : null);
    }

    /** The token this request was made with: its id, role and organization. Any role. */
    @Get("/current")
    public TokenJson.Current current(HttpRequest<?> request) {
        return TokenJson.Current.of(AuthenticationFilter.caller(request));
    }

    /** One active token, without its secret. */
    @Get("/{id}")
    public TokenJson.Token get(HttpRequest<?> request, @PathVariable String id) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.ADMIN);
        return TokenJson.Token.of(tokens.get(caller, id));
    }

    /** Revokes the token: it stops working at once on this gateway, within the cache TTL on others. */
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/{id}")
    public HttpResponse<Void> revoke(HttpRequest<?> request, @PathVariable String id) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.ADMIN);
        AuditLog.touches(request, tokens.revoke(caller, id).organization());
        return HttpResponse.noContent();
    }
}
