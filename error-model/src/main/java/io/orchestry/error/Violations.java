package io.orchestry.error;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every bad field of a request, so that one answer lists them all, then throws one
 * {@link InvalidArgumentException}.
 */
public final class Violations {
    private final List<FieldViolation> violations = new ArrayList<>();

    /** Records a violation when {@code ok} is false; returns {@code ok}. */
    public boolean require(boolean ok, String field, String message) {
        if (!ok) {
            violations.add(new FieldViolation(field, message));
        }
        return ok;
    }

    public void add(String field, String message) {
        violations.add(new FieldViolation(field, message));
    }

    public boolean isEmpty() {
        return violations.isEmpty();
    }

    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new InvalidArgumentException(violations);
        }
    }
}
