package io.orchestry.error;

import java.util.Objects;

/** One bad field of a request: its path as the caller wrote it ({@code capacity.cpu_millis}) and why. */
public record FieldViolation(String field, String message) {
    public FieldViolation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
