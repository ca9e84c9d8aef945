package io.orchestry.error;

import io.grpc.Status;

/**
 * Why a call failed: the one table that binds a domain error to its gRPC code and HTTP status
 * (ARCHITECTURE.md, "Contracts and errors"). Travels as {@code google.rpc.ErrorInfo.reason}.
 */
public enum ErrorReason {
    INVALID_ARGUMENT(Status.Code.INVALID_ARGUMENT, 400, "Invalid input"),
    UNAUTHENTICATED(Status.Code.UNAUTHENTICATED, 401, "Not authenticated"),
    PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, 403, "Not allowed"),
    NOT_FOUND(Status.Code.NOT_FOUND, 404, "Not found"),
    ALREADY_EXISTS(Status.Code.ALREADY_EXISTS, 409, "Already exists"),
    VERSION_CONFLICT(Status.Code.ABORTED, 409, "Version conflict"),
    FAILED_PRECONDITION(Status.Code.FAILED_PRECONDITION, 409, "State does not allow it"),
    QUOTA_EXCEEDED(Status.Code.RESOURCE_EXHAUSTED, 429, "Quota exceeded"),
    CAPACITY_EXHAUSTED(Status.Code.RESOURCE_EXHAUSTED, 503, "Capacity exhausted"),
    /** The server itself is at capacity and refused the call before doing any of it: retry after the RetryInfo delay. */
    OVERLOADED(Status.Code.RESOURCE_EXHAUSTED, 503, "Overloaded"),
    UNAVAILABLE(Status.Code.UNAVAILABLE, 503, "A dependency is unavailable"),
    /** A watch asked to resume from a resource version older than what is kept: list again (etcd's "compacted"). */
    RESOURCE_VERSION_TOO_OLD(Status.Code.OUT_OF_RANGE, 410, "Resource version too old"),
    NOT_IMPLEMENTED(Status.Code.UNIMPLEMENTED, 501, "Not implemented"),
    INTERNAL(Status.Code.INTERNAL, 500, "Internal error");

    /** The {@code ErrorInfo.domain} of every error Orchestry raises. */
    public static final String DOMAIN = "orchestry.io";

    private final Status.Code grpcCode;
    private final int httpStatus;
    private final String title;

    ErrorReason(Status.Code grpcCode, int httpStatus, String title) {
        this.grpcCode = grpcCode;
        this.httpStatus = httpStatus;
        this.title = title;
    }

    public Status.Code grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }

    /** The URI that names this kind of problem in an RFC 9457 body. */
    public String problemType() {
        return "urn:orchestry:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The reason for a status that carries no {@code ErrorInfo} of ours (a status raised by gRPC
     * itself: a deadline, a refused connection, an unimplemented method).
     */
    public static ErrorReason forCode(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> INVALID_ARGUMENT;
            case OUT_OF_RANGE -> RESOURCE_VERSION_TOO_OLD;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS -> ALREADY_EXISTS;
            case ABORTED -> VERSION_CONFLICT;
            case FAILED_PRECONDITION -> FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> QUOTA_EXCEEDED;
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> UNAVAILABLE;
            case UNIMPLEMENTED -> NOT_IMPLEMENTED;
            default -> INTERNAL;
        };
    }
}
