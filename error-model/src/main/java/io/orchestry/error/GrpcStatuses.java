package io.orchestry.error;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Turns an {@link OrchestryException} into the {@code google.rpc.Status} that crosses the wire. */
public final class GrpcStatuses {
    private GrpcStatuses() {
    }

    public static com.google.rpc.Status toStatus(OrchestryException e) {
        ErrorReason reason = e.reason();
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(reason.grpcCode().value())
                .setMessage(e.getMessage())
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(reason.name())
                        .setDomain(ErrorReason.DOMAIN)
                        .putAllMetadata(e.metadata())
                        .build()));
        if (e instanceof InvalidArgumentException invalid) {
            BadRequest.Builder badRequest = BadRequest.newBuilder();
            invalid.violations().forEach(v -> badRequest.addFieldViolations(
                    BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.message())));
            status.addDetails(Any.pack(badRequest.build()));
        } else if (e instanceof NotFoundException notFound) {
            status.addDetails(Any.pack(resourceInfo(notFound.kind(), notFound.name())));
        } else if (e instanceof AlreadyExistsException exists) {
            status.addDetails(Any.pack(resourceInfo(exists.kind(), exists.name())));
        } else if (e instanceof UnavailableException unavailable) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(Math.max(1, unavailable.retryAfter().toSeconds())))
                    .build()));
        } else if (e instanceof ResourceExhaustedException exhausted && exhausted.retryAfter().isPresent()) {
            java.time.Duration delay = exhausted.retryAfter().get();
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(delay.getSeconds()).setNanos(delay.getNano()))
                    .build()));
        }
        return status.build();
    }

    private static ResourceInfo resourceInfo(String kind, String name) {
        return ResourceInfo.newBuilder().setResourceType(kind).setResourceName(name).build();
    }

    public static StatusRuntimeException toStatusRuntimeException(OrchestryException e) {
        return StatusProto.toStatusRuntimeException(toStatus(e));
    }
}
