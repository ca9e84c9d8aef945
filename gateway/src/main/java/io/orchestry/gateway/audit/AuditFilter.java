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
 * Audits every mutation ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under
 * {@code /api}): the record is written before the mutation runs, so a mutation that cannot be
 * audited does not run (503), and completed with the caller and the outcome before the response
 * leaves. It runs before authentication, so refused attempts are recorded too.
 */
@ServerFilter(value = "/api/**", methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE})
public class AuditFilter implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);

    private final AuditLog log;

    AuditFilter(AuditLog log) {
        this.log = log;
    }

    @Override
    public int getOrder() {
        return AuthenticationFilter.ORDER - 10;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public MutableHttpResponse<?> audit(HttpRequest<?> request, FilterContinuation<MutableHttpResponse<?>> next) {
        long id;
        try {
            id = log.begin(RequestIdFilter.requestId(request), request.getMethodName(), request.getPath());
        } catch (OrchestryException e) {
            LOG.error("{} {} refused: the audit log cannot be written", request.getMethodName(), request.getPath(), e);
            return ProblemResponses.of(e, request);
        }
        MutableHttpResponse<?> response = next.proceed();
        Caller caller = AuthenticationFilter.callerIfAny(request).orElse(null);
        String created = null;
        if (response.status() == HttpStatus.CREATED) {
            String location = response.getHeaders().get("Location");
            if (location != null) {
                created = location.substring(location.lastIndexOf('/') + 1);
            }
        }
        try {
            log.complete(id, caller == null ? null : caller.tokenId(), caller == null ? null : caller.organization(),
                    created, response.code());
        } catch (RuntimeException e) {
            LOG.error("audit record {} of {} {} has no outcome: {}", id, request.getMethodName(), request.getPath(), e.toString());
        }
        return response;
    }
}
