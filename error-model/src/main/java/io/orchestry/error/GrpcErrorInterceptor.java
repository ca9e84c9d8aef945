package io.orchestry.error;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one place where exceptions become gRPC statuses. It sees both ways an endpoint fails: an
 * exception thrown from a handler, and one passed to {@code StreamObserver.onError} (which gRPC
 * would otherwise send as UNKNOWN). An {@link OrchestryException} keeps its reason and details; a
 * status from a service further down passes through; anything else is INTERNAL, logged with the
 * request id, and its text is not sent. While the call's code runs, the caller's request id is in
 * the logging MDC ({@code requestId}), so every line the service logs for it names it.
 */
@Singleton
@Order(GrpcErrorInterceptor.ORDER)
public class GrpcErrorInterceptor implements ServerInterceptor {
    /**
     * Just inside the outermost interceptor (micronaut-grpc applies the lowest order outermost):
     * load shedding ({@code Ordered.HIGHEST_PRECEDENCE}) refuses a call before this one runs.
     */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final Logger LOG = LoggerFactory.getLogger(GrpcErrorInterceptor.class);
    /** The logging MDC key that holds the caller's request id while a call's code runs (as in the gateway). */
    public static final String MDC_KEY = "requestId";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String requestId = headers.get(RequestIds.METADATA_KEY);
        String method = call.getMethodDescriptor().getFullMethodName();
        TranslatingCall<Q, R> translating = new TranslatingCall<>(call, method, requestId);
        ServerCall.Listener<Q> delegate;
        putRequestId(requestId);
        try {
            delegate = next.startCall(translating, headers);
        } catch (RuntimeException e) {
            translating.fail(e);
            return new ServerCall.Listener<>() {
            };
        } finally {
            MDC.remove(MDC_KEY);
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                guard(() -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                guard(super::onHalfClose);
            }

            @Override
            public void onReady() {
                guard(super::onReady);
            }

            @Override
            public void onCancel() {
                guard(super::onCancel);
            }

            @Override
            public void onComplete() {
                guard(super::onComplete);
            }

            private void guard(Runnable step) {
                putRequestId(requestId);
                try {
                    step.run();
                } catch (RuntimeException e) {
                    translating.fail(e);
                } finally {
                    MDC.remove(MDC_KEY);
                }
            }
        };
    }

    private static void putRequestId(String requestId) {
        if (requestId != null) {
            MDC.put(MDC_KEY, requestId);
        }
    }

    /** The status and trailers to send for a failure. */
    static StatusRuntimeException translate(Throwable failure, String method, String requestId) {
        if (failure instanceof OrchestryException e) {
            return GrpcStatuses.toStatusRuntimeException(e);
        }
        if (failure instanceof StatusRuntimeException e) {
            return e;
        }
        if (failure instanceof StatusException e) {
            return new StatusRuntimeException(e.getStatus(), e.getTrailers());
        }
        LOG.error("{} failed (request id {})", method, requestId, failure);
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.INTERNAL.value())
                .setMessage("internal error" + (requestId == null ? "" : " (request id " + requestId + ")"))
                .build());
    }

    private static final class TranslatingCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final String method;
        private final String requestId;
        private volatile boolean closed;

        TranslatingCall(ServerCall<Q, R> delegate, String method, String requestId) {
            super(delegate);
            this.method = method;
            this.requestId = requestId;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            Throwable cause = status.getCause();
            if (status.getCode() == Status.Code.UNKNOWN && cause != null) {
                StatusRuntimeException translated = translate(cause, method, requestId);
                Metadata merged = new Metadata();
                merged.merge(trailers);
                if (translated.getTrailers() != null) {
                    merged.merge(translated.getTrailers());
                }
                closeOnce(translated.getStatus(), merged);
                return;
            }
            closeOnce(status, trailers);
        }

        void fail(Throwable failure) {
            StatusRuntimeException translated = translate(failure, method, requestId);
            closeOnce(translated.getStatus(),
                    translated.getTrailers() == null ? new Metadata() : translated.getTrailers());
        }

        private synchronized void closeOnce(Status status, Metadata trailers) {
            if (closed) {
                return;
            }
            closed = true;
            super.close(status, trailers);
        }
    }
}
