package io.orchestry.error;

import java.util.List;

/**
 * An RFC 9457 problem as the gateway sends it ({@code application/problem+json}).
 *
 * @param type              URI naming the kind of problem, one per {@link ErrorReason}
 * @param title             short, the same for every problem of that type
 * @param status            the HTTP status
 * @param detail            what went wrong this time
 * @param instance          the request path
 * @param reason            the {@link ErrorReason} name, for programs
 * @param errors            every bad field, for invalid input; empty otherwise
 * @param retryAfterSeconds for 429 and 503: when to try again (sent as {@code Retry-After}); null otherwise
 */
public record Problem(String type, String title, int status, String detail, String instance, String reason,
                      List<FieldViolation> errors, Long retryAfterSeconds) {
    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
