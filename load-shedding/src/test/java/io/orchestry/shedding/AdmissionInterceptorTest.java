package io.orchestry.shedding;

import com.google.protobuf.StringValue;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real gRPC server on 127.0.0.1 whose unary method waits on a latch, behind the interceptor. */
class AdmissionInterceptorTest {
    private static final int LIMIT = 4;
    private static final MethodDescriptor<StringValue, StringValue> HOLD = method("Hold", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<StringValue, StringValue> FOLLOW = method("Follow", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<StringValue, StringValue> PING = MethodDescriptor.<StringValue, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Probe", "Ping"))
            .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .build();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final CountDownLatch gate = new CountDownLatch(1);
    private AdmissionInterceptor admission;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        serve(LIMIT);
    }

    private void serve(int limit) throws Exception {
        admission = new AdmissionInterceptor(new AdmissionConfig(limit, Duration.ofMillis(100), List.of("test.Probe")), meters);
        ServerServiceDefinition probe = ServerServiceDefinition.builder("test.Probe")
                .addMethod(PING, ServerCalls.asyncUnaryCall((request, observer) -> {
                    observer.onNext(request);
                    observer.onCompleted();
                }))
                .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Slow")
                .addMethod(HOLD, ServerCalls.asyncUnaryCall((request, observer) -> {
                    await(gate);
                    observer.onNext(request);
                    observer.onCompleted();
                }))
                .addMethod(FOLLOW, ServerCalls.asyncServerStreamingCall((request, observer) -> {
                    observer.onNext(request);
                    observer.onCompleted();
                }))
                .build();
        @SuppressWarnings("AddressSelection") // the literal 127.0.0.1 is one address, there is no name to resolve
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        server = NettyServerBuilder.forAddress(loopback)
                .executor(Executors.newCachedThreadPool())
                .addService(ServerInterceptors.intercept(service, admission))
                .addService(ServerInterceptors.intercept(probe, admission))
                .build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        // the connection is set up before any test's deadline starts counting
        ping();
    }

    private void restart(int limit) throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        serve(limit);
    }

    private StringValue ping() {
        return ClientCalls.blockingUnaryCall(channel, PING, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), StringValue.of("ping"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server == null) {
            return;
        }
        gate.countDown();
        callers.shutdownNow();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void oneCallPastTheLimit_isRefusedAtOnce_withRetryInfo_andAdmittedOnesFinish() throws Exception {
        List<Future<StringValue>> held = holdAll(LIMIT);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> hold("one too many", 5));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        RetryInfo retry = StatusProto.fromThrowable(refused).getDetailsList().stream()
                .filter(any -> any.is(RetryInfo.class)).findFirst().orElseThrow().unpack(RetryInfo.class);
        com.google.protobuf.Duration delay = retry.getRetryDelay();
        long delayMillis = Duration.ofSeconds(delay.getSeconds(), delay.getNanos()).toMillis();
        assertTrue(delayMillis >= 100 && delayMillis <= 200, "100 ms plus up to as much again: " + delayMillis);
        assertEquals(1.0, meters.get("orchestry.grpc.shed").counter().count());

        gate.countDown();
        for (Future<StringValue> call : held) {
            assertEquals("held", call.get(10, TimeUnit.SECONDS).getValue());
        }
        waitUntil(() -> admission.inFlight() == 0);
        assertEquals("after", hold("after", 5).getValue(), "permits came back");
    }

    @Test
    void callsTheCallerGaveUpOn_holdTheirPermitUntilTheHandlerReturns_thenGiveItBack() throws Exception {
        List<Future<StringValue>> impatient = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            impatient.add(callers.submit(() -> hold("impatient", 1)));
        }
        waitUntil(() -> admission.inFlight() == LIMIT);
        for (Future<StringValue> call : impatient) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, ((StatusRuntimeException) failed.getCause()).getStatus().getCode());
        }
        // the handlers still run: their work still takes the server's capacity
        assertEquals(LIMIT, admission.inFlight());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED,
                assertThrows(StatusRuntimeException.class, () -> hold("still full", 5)).getStatus().getCode());
        gate.countDown();
        waitUntil(() -> admission.inFlight() == 0);
        assertEquals("after", hold("after", 5).getValue());
    }

    @Test
    void streamingCalls_areNotCounted() throws Exception {
        List<Future<StringValue>> held = holdAll(LIMIT);
        StringValue streamed = ClientCalls.blockingServerStreamingCall(channel, FOLLOW,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("stream")).next();
        assertEquals("stream", streamed.getValue());
        gate.countDown();
        for (Future<StringValue> call : held) {
            call.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void exemptServices_answerWhileTheServerIsFull() throws Exception {
        List<Future<StringValue>> held = holdAll(LIMIT);
        assertEquals("ping", ping().getValue());
        gate.countDown();
        for (Future<StringValue> call : held) {
            call.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void zeroLimit_admitsEverything() throws Exception {
        restart(0);
        List<Future<StringValue>> held = new ArrayList<>();
        for (int i = 0; i < LIMIT + 2; i++) {
            held.add(callers.submit(() -> hold("held", 30)));
        }
        gate.countDown();
        for (Future<StringValue> call : held) {
            assertEquals("held", call.get(10, TimeUnit.SECONDS).getValue());
        }
        assertEquals(0, admission.inFlight());
    }

    private List<Future<StringValue>> holdAll(int count) throws Exception {
        List<Future<StringValue>> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(callers.submit(() -> hold("held", 30)));
        }
        waitUntil(() -> admission.inFlight() == count);
        return held;
    }

    private StringValue hold(String value, int deadlineSeconds) {
        return ClientCalls.blockingUnaryCall(channel, HOLD, CallOptions.DEFAULT.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS),
                StringValue.of(value));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bounded wait for an asynchronous outcome (calls reaching or leaving the server). */
    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "condition not reached in 5 s");
    }

    private static MethodDescriptor<StringValue, StringValue> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<StringValue, StringValue>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Slow", name))
                .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                .build();
    }
}
