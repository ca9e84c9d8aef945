package io.orchestry.gateway.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.orchestry.error.OrchestryException;
import io.orchestry.error.Problem;
import jakarta.inject.Singleton;

/**
 * An error the gateway raises itself (e.g. an unknown enum value in a body) takes the same road as
 * one a service sent, so both read alike.
 */
@Singleton
public class OrchestryExceptionHandler implements ExceptionHandler<OrchestryException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, OrchestryException exception) {
        return ProblemResponses.of(exception, request);
    }
}
