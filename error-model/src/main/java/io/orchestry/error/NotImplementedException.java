package io.orchestry.error;

/** The operation is part of the contract but not built yet: {@code UNIMPLEMENTED}, HTTP 501. */
public final class NotImplementedException extends OrchestryException {
    public NotImplementedException(String message) {
        super(ErrorReason.NOT_IMPLEMENTED, message, null);
    }
}
