package io.orchestry.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A limit is reached: a quota of the caller's (429: ask for less), the capacity of the fleet
 * (503: nothing fits now), or the capacity of the server itself (503 with a retry delay: it is
 * shedding load, try again after {@link #retryAfter()}).
 */
public final class ResourceExhaustedException extends OrchestryException {
    private final Duration retryAfter;

    private ResourceExhaustedException(ErrorReason reason, String message, Duration retryAfter) {
        super(reason, message, null);
        this.retryAfter = retryAfter;
    }

    public static ResourceExhaustedException quota(String message) {
        return new ResourceExhaustedException(ErrorReason.QUOTA_EXCEEDED, message, null);
    }

    public static ResourceExhaustedException capacity(String message) {
        return new ResourceExhaustedException(ErrorReason.CAPACITY_EXHAUSTED, message, null);
    }

    /** The server has as much work in flight as it takes: the call was refused before any of it ran. */
    public static ResourceExhaustedException overloaded(String message, Duration retryAfter) {
        return new ResourceExhaustedException(ErrorReason.OVERLOADED, message, retryAfter);
    }

    /** When the caller may try again, sent as {@code google.rpc.RetryInfo}; empty when no retry helps soon. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
