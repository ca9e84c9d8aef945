package io.orchestry.gateway.audit;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Audits the reads that hand out a secret ({@code GET /api/v1/databases/{project}/credentials}
 * returns a password) exactly as {@link AuditFilter} audits a mutation: a record before the call
 * (no record, no password: 503), completed with the outcome. The record names the caller, the
 * path and the outcome, never what was answered.
 */
@ServerFilter(value = "/api/v1/databases/*/credentials", methods = HttpMethod.GET)
public class SecretReadAuditFilter implements Ordered {
    private final AuditFilter audit;

    SecretReadAuditFilter(AuditFilter audit) {
        this.audit = audit;
    }

    @Override
    public int getOrder() {
        return audit.getOrder();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public MutableHttpResponse<?> audit(HttpRequest<?> request, FilterContinuation<MutableHttpResponse<?>> next) {
        return audit.audit(request, next);
    }
}
