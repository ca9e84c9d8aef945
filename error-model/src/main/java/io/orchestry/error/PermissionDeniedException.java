package io.orchestry.error;

/** The caller is known but its role does not allow this. */
public final class PermissionDeniedException extends OrchestryException {
    public PermissionDeniedException(String message) {
        super(ErrorReason.PERMISSION_DENIED, message, null);
    }
}
