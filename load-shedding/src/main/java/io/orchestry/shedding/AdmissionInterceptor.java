package io.orchestry.shedding;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.orchestry.error.GrpcStatuses;
import io.orchestry.error.ResourceExhaustedException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sheds load before it is taken on: at most {@code maxInFlight} unary calls run at once, and one
 * more is refused on the spot with RESOURCE_EXHAUSTED and a RetryInfo. Past capacity a service so
 * answers some callers "later" at once, instead of queueing every call behind its connection pool
 * until all of them miss their deadlines, and its threads and memory stay bounded.
 *
 * <p>Streaming calls (heartbeat streams, watches) are not counted: they are long-lived and
 * flow-controlled by gRPC itself. Nor are the exempt services (health and system info), which must
 * answer a busy service's probes. The bound assumes endpoints that do their work on the call's
 * thread, as every Orchestry endpoint does: a call's permit is given back when it closes, or when
 * its caller goes away (which gRPC reports only after the handler returned).
 *
 * <p>Every Micronaut gRPC server with this module on its class path applies it (interceptors are
 * beans); it is the outermost one, so a refusal costs nothing beyond building its status.
 */
@Singleton
@Order(AdmissionInterceptor.ORDER)
public class AdmissionInterceptor implements ServerInterceptor {
    /** Outermost: micronaut-grpc applies the lowest order outermost; the error interceptor sits just inside. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    private final int maxInFlight;
    private final Duration retryAfter;
    private final Set<String> exempt;
    private final Semaphore permits;
    @Nullable
    private final Counter shed;

    public AdmissionInterceptor(AdmissionConfig config, @Nullable MeterRegistry meters) {
        this.maxInFlight = config.maxInFlight();
        this.retryAfter = config.retryAfter();
        this.exempt = Set.copyOf(config.exemptServices());
        this.permits = new Semaphore(Math.max(0, maxInFlight));
        this.shed = meters == null ? null : Counter.builder("orchestry.grpc.shed")
                .description("unary calls refused because the server had as many in flight as it takes")
                .register(meters);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        if (maxInFlight == 0 || method.getType() != MethodDescriptor.MethodType.UNARY
                || exempt.contains(method.getServiceName())) {
            return next.startCall(call, headers);
        }
        if (!permits.tryAcquire()) {
            if (shed != null) {
                shed.increment();
            }
            StatusRuntimeException refused = GrpcStatuses.toStatusRuntimeException(ResourceExhaustedException.overloaded(
                    "the server has " + maxInFlight + " calls in flight, as many as it takes: try again shortly", jittered()));
            call.close(refused.getStatus(), refused.getTrailers() == null ? new Metadata() : refused.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        Permit permit = new Permit(permits);
        try {
            ServerCall.Listener<Q> listener = next.startCall(new ReleasingCall<>(call, permit), headers);
            return new ReleasingListener<>(listener, permit);
        } catch (RuntimeException | Error e) {
            permit.release();
            throw e;
        }
    }

    /** The delay told to a refused caller: {@code retryAfter} plus up to as much again. */
    private Duration jittered() {
        return retryAfter.plusNanos((long) (retryAfter.toNanos() * ThreadLocalRandom.current().nextDouble()));
    }

    /** Unary calls running now; for tests and metrics. */
    public int inFlight() {
        return Math.max(0, maxInFlight - permits.availablePermits());
    }

    /** One admitted call's permit, given back once: when the call closes or the caller goes away. */
    private static final class Permit {
        private final Semaphore permits;
        private final AtomicBoolean released = new AtomicBoolean();

        Permit(Semaphore permits) {
            this.permits = permits;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }

    private static final class ReleasingCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Permit permit;

        ReleasingCall(ServerCall<Q, R> delegate, Permit permit) {
            super(delegate);
            this.permit = permit;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            try {
                super.close(status, trailers);
            } finally {
                permit.release();
            }
        }
    }

    private static final class ReleasingListener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final Permit permit;

        ReleasingListener(ServerCall.Listener<Q> delegate, Permit permit) {
            super(delegate);
            this.permit = permit;
        }

        @Override
        public void onCancel() {
            try {
                super.onCancel();
            } finally {
                permit.release();
            }
        }

        @Override
        public void onComplete() {
            try {
                super.onComplete();
            } finally {
                permit.release();
            }
        }
    }
}
