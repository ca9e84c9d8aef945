package io.orchestry.error;

import java.util.List;
import java.util.stream.Collectors;

/** The request is malformed: every bad field is listed, so a caller can fix them all at once. */
public final class InvalidArgumentException extends OrchestryException {
    private final List<FieldViolation> violations;

    public InvalidArgumentException(List<FieldViolation> violations) {
        super(ErrorReason.INVALID_ARGUMENT, describe(violations), null);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid argument needs at least one field violation");
        }
        this.violations = List.copyOf(violations);
    }

    public InvalidArgumentException(String field, String message) {
        this(List.of(new FieldViolation(field, message)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    private static String describe(List<FieldViolation> violations) {
        return violations.stream().map(v -> v.field() + ": " + v.message())
                .collect(Collectors.joining("; ", "invalid request: ", ""));
    }
}
