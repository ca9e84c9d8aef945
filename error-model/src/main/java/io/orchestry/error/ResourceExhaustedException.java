package io.orchestry.error;

/**
 * A limit is reached: a quota of the caller's (429: ask for less) or the capacity of the fleet
 * (503: nothing fits now).
 */
public final class ResourceExhaustedException extends OrchestryException {
    private ResourceExhaustedException(ErrorReason reason, String message) {
        super(reason, message, null);
    }

    public static ResourceExhaustedException quota(String message) {
        return new ResourceExhaustedException(ErrorReason.QUOTA_EXCEEDED, message);
    }

    public static ResourceExhaustedException capacity(String message) {
        return new ResourceExhaustedException(ErrorReason.CAPACITY_EXHAUSTED, message);
    }
}
