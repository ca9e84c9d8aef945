package io.orchestry.gateway.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.SerdeImport;
import io.orchestry.error.FieldViolation;
import io.orchestry.error.GrpcStatuses;
import io.orchestry.error.OrchestryException;
import io.orchestry.error.Problem;
import io.orchestry.error.Problems;

/** Every error the gateway sends: an RFC 9457 body, with {@code Retry-After} where it applies. */
@SerdeImport(Problem.class)
@SerdeImport(FieldViolation.class)
public final class ProblemResponses {
    public static final String CONTENT_TYPE = "application/problem+json";

    private ProblemResponses() {
    }

    public static MutableHttpResponse<Problem> of(Problem problem) {
        MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .contentType(CONTENT_TYPE)
                .body(problem);
        if (problem.retryAfterSeconds() != null) {
            response.header("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        if (problem.status() == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"orchestry\"");
        }
        return response;
    }

    /** An error the gateway raises itself, mapped as if a service had sent it. */
    public static MutableHttpResponse<Problem> of(OrchestryException exception, HttpRequest<?> request) {
        return of(Problems.fromStatus(GrpcStatuses.toStatusRuntimeException(exception), request.getPath(), FieldNames::toRest));
    }
}
