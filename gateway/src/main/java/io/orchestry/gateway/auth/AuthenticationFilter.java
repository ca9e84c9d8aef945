package io.orchestry.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.scheduling.TaskExecutors;
import io.orchestry.error.OrchestryException;
import io.orchestry.error.UnauthenticatedException;
import io.orchestry.gateway.error.ProblemResponses;
import jakarta.inject.Named;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Every request but {@code /health} and the API's own documentation must carry
 * {@code Authorization: Bearer <token>}; the caller it names is put on the request for the
 * controllers to authorize against. {@code /api/v1/events} and {@code /api/v1/ws} also take
 * {@code ?access_token=}, because browsers' EventSource and WebSocket cannot send headers.
 *
 * <p>A token already verified is answered on the event loop; only a cache miss reads the database,
 * on the blocking executor.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AuthenticationFilter implements Ordered {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuthenticationFilter.class);
    /** The request attribute that holds the {@link Caller}. */
    private static final String ATTRIBUTE = "orchestry.caller";
    /** Runs after {@code RequestIdFilter} and before the audit filter: only authenticated callers' mutations reach the audit log. */
    public static final int ORDER = 100;
    private static final Set<String> PUBLIC = Set.of("/health", "/health/liveness", "/health/readiness", "/api/v1/openapi.yml");
    private static final String NO_TOKEN = "send an API token: 'Authorization: Bearer <token>' (dev mode prints one at start-up)";
    private static final String BAD_TOKEN = "the token is unknown, expired or revoked";
    private static final Set<String> QUERY_TOKEN_PATHS = Set.of("/api/v1/events", "/api/v1/ws");

    private final TokenService tokens;
    private final Scheduler blocking;

    AuthenticationFilter(TokenService tokens, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.tokens = tokens;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** The caller of a request that passed this filter. */
    public static Caller caller(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new UnauthenticatedException("no caller on this request"));
    }

    /** The caller, when the request was authenticated (audit reads it after the fact). */
    public static Optional<Caller> callerIfAny(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class);
    }

    @RequestFilter
    public Publisher<MutableHttpResponse<?>> authenticate(HttpRequest<?> request,
                                                          FilterContinuation<Publisher<MutableHttpResponse<?>>> next) {
        String path = request.getPath();
        if (PUBLIC.contains(path) || path.startsWith("/swagger-ui")) {
            return next.proceed();
        }
        String bearer = secret(request);
        if (bearer == null) {
            return Mono.just(refused(request, NO_TOKEN));
        }
        TokenService.Presented secret = tokens.present(bearer);
        Caller known = tokens.verifiedRecently(secret);
        if (known != null) {
            return admit(request, known, next);
        }
        if (tokens.refusedRecently(secret)) {
            return Mono.just(refused(request, BAD_TOKEN));
        }
        return Mono.fromCallable(() -> tokens.authenticate(secret))
                .subscribeOn(blocking)
                .flatMap(caller -> caller.isEmpty() ? Mono.just(refused(request, BAD_TOKEN)) : Mono.from(admit(request, caller.get(), next)))
                .onErrorResume(OrchestryException.class, failure -> Mono.just(ProblemResponses.of(failure, request)));
    }

    /** Puts the caller on the request and lets it through. */
    private static Publisher<MutableHttpResponse<?>> admit(HttpRequest<?> request, Caller caller,
                                                           FilterContinuation<Publisher<MutableHttpResponse<?>>> next) {
        request.setAttribute(ATTRIBUTE, caller);
        return next.proceed();
    }

    /** 401; a refused mutation is logged, as it is not audited. */
    private static MutableHttpResponse<?> refused(HttpRequest<?> request, String why) {
        if (!request.getMethod().equals(io.micronaut.http.HttpMethod.GET)) {
            LOG.info("{} {} refused: {} (from {})", request.getMethodName(), request.getPath(), why, request.getRemoteAddress());
        }
        return ProblemResponses.of(new UnauthenticatedException(why), request);
    }

    private static @Nullable String secret(HttpRequest<?> request) {
        String header = request.getHeaders().getAuthorization().orElse(null);
        if (header != null) {
            if (header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String secret = header.substring(7).strip();
                return secret.isEmpty() ? null : secret;
            }
            return null;
        }
        if (QUERY_TOKEN_PATHS.contains(request.getPath())) {
            return request.getParameters().get("access_token");
        }
        return null;
    }
}
