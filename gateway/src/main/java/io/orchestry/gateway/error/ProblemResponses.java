package io.orchestry.gateway.error;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.SerdeImport;
import io.orchestry.error.FieldViolation;
import io.orchestry.error.Problem;

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
        return response;
    }
}
