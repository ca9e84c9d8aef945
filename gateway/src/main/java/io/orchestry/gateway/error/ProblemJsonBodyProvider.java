package io.orchestry.gateway.error;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import io.orchestry.error.ErrorReason;
import io.orchestry.error.FieldViolation;
import io.orchestry.error.Problem;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;

/**
 * The body of every error Micronaut raises before a controller runs (a body that is not JSON, a
 * query value of the wrong type, an unknown path or method): a problem like all the others.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ProblemJsonBodyProvider implements JsonErrorResponseBodyProvider<Problem> {

    @Override
    public Problem body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        String instance = context.getRequest().getPath();
        List<FieldViolation> errors = context.getErrors().stream()
                .filter(error -> error.getPath().isPresent())
                .map(error -> new FieldViolation(FieldNames.toRest(error.getPath().get()), error.getMessage()))
                .toList();
        String detail = context.getErrors().stream().map(Error::getMessage).findFirst()
                .orElse(response.reason());
        ErrorReason reason = reasonFor(status);
        if (reason != null) {
            Long retryAfter = status == 503 ? 1L : null;
            return new Problem(reason.problemType(), reason.title(), status, status >= 500 ? reason.title() : detail,
                    instance, reason.name(), errors, retryAfter);
        }
        // statuses outside the domain table (405, 406, 413, 415, ...): plain HTTP semantics
        String name = response.reason().toUpperCase(Locale.ROOT).replace(' ', '_');
        return new Problem("about:blank", response.reason(), status, detail, instance, name, errors, null);
    }

    @Override
    public String contentType() {
        return ProblemResponses.CONTENT_TYPE;
    }

    private static ErrorReason reasonFor(int status) {
        return switch (status) {
            case 400 -> ErrorReason.INVALID_ARGUMENT;
            case 401 -> ErrorReason.UNAUTHENTICATED;
            case 403 -> ErrorReason.PERMISSION_DENIED;
            case 404 -> ErrorReason.NOT_FOUND;
            case 409 -> ErrorReason.FAILED_PRECONDITION;
            case 500 -> ErrorReason.INTERNAL;
            case 503 -> ErrorReason.UNAVAILABLE;
            default -> null;
        };
    }
}
