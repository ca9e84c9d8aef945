package io.orchestry.gateway.error;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.orchestry.error.Problem;
import io.orchestry.error.Problems;
import io.orchestry.gateway.api.RequestIdFilter;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a service answered, as the table in ARCHITECTURE.md maps it to HTTP. */
@Singleton
@Requires(classes = {StatusRuntimeException.class, ExceptionHandler.class})
public class GrpcStatusExceptionHandler implements ExceptionHandler<StatusRuntimeException, HttpResponse<Problem>> {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatusExceptionHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, StatusRuntimeException exception) {
        Problem problem = Problems.fromStatus(exception, request.getPath(), FieldNames::toRest);
        if (problem.status() >= 500) {
            Status.Code code = exception.getStatus().getCode();
            LOG.warn("{} {} failed with {} (request id {}): {}", request.getMethodName(), request.getPath(), code,
                    RequestIdFilter.requestId(request), exception.getStatus().getDescription());
        }
        return ProblemResponses.of(problem);
    }
}
