package io.orchestry.error;

/** No credentials, or credentials that name nobody. */
public final class UnauthenticatedException extends OrchestryException {
    public UnauthenticatedException(String message) {
        super(ErrorReason.UNAUTHENTICATED, message, null);
    }
}
