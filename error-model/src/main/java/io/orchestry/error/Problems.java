package io.orchestry.error;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Turns what a service answered (a gRPC status with its details) into the problem the gateway sends. */
public final class Problems {
    /** Seconds a caller should wait after a 503 when the service named no delay. */
    public static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    private Problems() {
    }

    /**
     * The problem for a status a service answered: its reason, field violations and retry delay.
     *
     * @param fieldNames turns a field path as the service named it into the one the caller used
     *                   (the gateway: {@code capacity.cpu_millis} to {@code capacity.cpuMillis})
     */
    public static Problem fromStatus(StatusRuntimeException e, String instance, UnaryOperator<String> fieldNames) {
        Status status = e.getStatus();
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        ErrorReason reason = null;
        List<FieldViolation> errors = new ArrayList<>();
        Long retryAfter = null;
        if (details != null) {
            for (Any any : details.getDetailsList()) {
                try {
                    if (any.is(ErrorInfo.class)) {
                        ErrorInfo info = any.unpack(ErrorInfo.class);
                        if (ErrorReason.DOMAIN.equals(info.getDomain())) {
                            reason = parseReason(info.getReason());
                        }
                    } else if (any.is(BadRequest.class)) {
                        for (BadRequest.FieldViolation v : any.unpack(BadRequest.class).getFieldViolationsList()) {
                            errors.add(new FieldViolation(fieldNames.apply(v.getField()), v.getDescription()));
                        }
                    } else if (any.is(RetryInfo.class)) {
                        retryAfter = Math.max(1, any.unpack(RetryInfo.class).getRetryDelay().getSeconds());
                    }
                } catch (InvalidProtocolBufferException malformed) {
                    // a detail we cannot read adds nothing; the code still says what happened
                }
            }
        }
        boolean ours = reason != null && reason.grpcCode() == status.getCode();
        if (!ours) {
            reason = ErrorReason.forCode(status.getCode());
        }
        if (reason.httpStatus() == 503 && retryAfter == null) {
            retryAfter = DEFAULT_RETRY_AFTER_SECONDS;
        }
        String detail = ours ? status.getDescription() : detail(status, reason);
        return new Problem(reason.problemType(), reason.title(), reason.httpStatus(), detail,
                instance, reason.name(), errors, retryAfter);
    }


    /** The detail for a status that gRPC raised itself, or a service outside Orchestry's error model. */
    private static String detail(Status status, ErrorReason reason) {
        return switch (status.getCode()) {
            // gRPC's own wording for these names hosts and ports: callers need none of it
            case UNAVAILABLE -> "a service this request needs is unavailable; try again shortly";
            case DEADLINE_EXCEEDED -> "a service this request needs did not answer in time; try again shortly";
            case UNIMPLEMENTED -> "not implemented yet";
            case INTERNAL, UNKNOWN, DATA_LOSS -> status.getDescription() == null
                    ? "internal error" : status.getDescription();
            default -> status.getDescription() == null ? reason.title() : status.getDescription();
        };
    }

    private static ErrorReason parseReason(String name) {
        try {
            return ErrorReason.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
