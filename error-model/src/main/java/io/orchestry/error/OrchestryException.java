package io.orchestry.error;

import java.util.Map;
import java.util.Objects;

/**
 * The one exception tree every service throws. {@link GrpcErrorInterceptor} turns it into a
 * {@code google.rpc.Status}; the gateway turns that status into {@code application/problem+json}.
 * Messages are shown to callers: never put a secret or a stack trace in one.
 */
public abstract sealed class OrchestryException extends RuntimeException
        permits InvalidArgumentException, UnauthenticatedException, PermissionDeniedException,
        NotFoundException, AlreadyExistsException, VersionConflictException,
        FailedPreconditionException, ResourceExhaustedException, UnavailableException,
        ResourceVersionTooOldException, NotImplementedException {

    private final ErrorReason reason;

    protected OrchestryException(ErrorReason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * A name as an error may repeat it: at most 200 characters. A longer one names nothing that
     * exists, and echoing it whole could push the status past gRPC's 8 KiB metadata limit.
     */
    protected static String clip(String name) {
        return name == null || name.length() <= 200 ? name : name.substring(0, 200) + "…";
    }

    public ErrorReason reason() {
        return reason;
    }

    /** Facts a program may act on, sent as {@code ErrorInfo.metadata} (e.g. the kind and name of a resource). */
    public Map<String, String> metadata() {
        return Map.of();
    }
}
