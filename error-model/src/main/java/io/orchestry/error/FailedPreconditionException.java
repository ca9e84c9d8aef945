package io.orchestry.error;

/** The resource's state does not allow the operation now (e.g. a node that is draining). */
public final class FailedPreconditionException extends OrchestryException {
    public FailedPreconditionException(String message) {
        super(ErrorReason.FAILED_PRECONDITION, message, null);
    }
}
