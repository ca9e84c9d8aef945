package io.orchestry.gateway.audit;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.error.OrchestryException;
import io.orchestry.gateway.api.RequestIdFilter;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.error.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits every mutation ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) by an
 * authenticated caller: the record is written before the mutation runs, so a mutation that cannot
 * be audited does not run (503), and completed with the outcome before the response leaves
 * (refusals by role, 403 and 404, included). Requests without a valid token are refused (401)
 * before this filter and only logged, so that anonymous traffic cannot fill the audit log or
 * hold the gateway's database connections.
 */
@ServerFilter(value = "/**", methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE})
public class AuditFilter implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);

    private final AuditLog log;

    AuditFilter(AuditLog log) {
        this.log = log;
    }

    @Override
    public int getOrder() {
        return AuthenticationFilter.ORDER + 10;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public MutableHttpResponse<?> audit(HttpRequest<?> request, FilterContinuation<MutableHttpResponse<?>> next) {
        Caller caller = AuthenticationFilter.callerIfAny(request).orElse(null);
        if (caller == null) {
            return next.proceed(); // a public path (/health, the API docs): no one to audit, nothing it can change
        }
        long id;
        try {
            id = log.begin(RequestIdFilter.requestId(request), caller, request.getMethodName(), request.getPath());
        } catch (OrchestryException e) {
            LOG.error("{} {} refused: the audit log cannot be written", request.getMethodName(), request.getPath(), e);
            return ProblemResponses.of(e, request);
        }
        MutableHttpResponse<?> response = null;
        try {
            response = next.proceed();
        } finally {
            complete(request, id, response);
        }
        return response;
    }

    /** Completes the record with the outcome; a response that never came is a 500. */
    private void complete(HttpRequest<?> request, long id, MutableHttpResponse<?> response) {
        String created = null;
        if (response != null && response.status() == HttpStatus.CREATED) {
            String location = response.getHeaders().get("Location");
            if (location != null) {
                created = location.substring(location.lastIndexOf('/') + 1);
            }
        }
        int status = response == null ? 500 : response.code();
        try {
            log.complete(id, created, AuditLog.touched(request), status);
        } catch (RuntimeException e) {
            // the record keeps its actor and target, without an outcome
            LOG.error("audit record {} of {} {} keeps no outcome ({}): the mutation answered {}", id,
                    request.getMethodName(), request.getPath(), e.toString(), status);
        }
    }
}
