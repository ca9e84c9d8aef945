package io.orchestry.error;

import com.google.protobuf.StringValue;
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
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every exception of the tree, thrown by a real gRPC endpoint on 127.0.0.1, reaches the client
 * with the code of ARCHITECTURE.md's table and becomes the problem with the table's HTTP status.
 * The expected table is written out here, apart from {@link ErrorReason}, so the two cannot drift.
 */
class GrpcErrorInterceptorTest {
    private static final Map<String, Supplier<RuntimeException>> FAILURES = Map.ofEntries(
            Map.entry("invalid", () -> new InvalidArgumentException(List.of(
                    new FieldViolation("name", "must be a DNS label"),
                    new FieldViolation("capacity.cpu_millis", "must not be negative")))),
            Map.entry("unauthenticated", () -> new UnauthenticatedException("no token")),
            Map.entry("denied", () -> new PermissionDeniedException("viewers cannot register nodes")),
            Map.entry("missing", () -> new NotFoundException("node", "n1")),
            Map.entry("exists", () -> new AlreadyExistsException("node", "n1")),
            Map.entry("stale", () -> new VersionConflictException("node", "n1", 3, 4)),
            Map.entry("draining", () -> new FailedPreconditionException("node 'n1' is draining")),
            Map.entry("quota", () -> ResourceExhaustedException.quota("project 'p' has 10 apps")),
            Map.entry("capacity", () -> ResourceExhaustedException.capacity("no node has 64 cores free")),
            Map.entry("overloaded", () -> ResourceExhaustedException.overloaded("128 calls in flight", Duration.ofMillis(100))),
            Map.entry("down", () -> new UnavailableException("database", Duration.ofSeconds(5), null)),
            Map.entry("too-old", () -> new ResourceVersionTooOldException(3, 10)),
            Map.entry("not-built", () -> new NotImplementedException("databases are not built yet")));

    private static final MethodDescriptor<StringValue, StringValue> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<StringValue, StringValue> STREAM = method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<StringValue, StringValue> LOGGED_ID = method("LoggedId", MethodDescriptor.MethodType.UNARY);

    private static Server server;
    private static ManagedChannel channel;

    @BeforeAll
    @SuppressWarnings("AddressSelection") // a literal IPv4 address: nothing is resolved; tests bind 127.0.0.1 exactly
    static void start() throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Failing")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, observer) -> {
                    throw failure(request.getValue());
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((request, observer) ->
                        observer.onError(failure(request.getValue()))))
                .addMethod(LOGGED_ID, ServerCalls.asyncUnaryCall((request, observer) -> {
                    observer.onNext(StringValue.of(String.valueOf(org.slf4j.MDC.get(GrpcErrorInterceptor.MDC_KEY))));
                    observer.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(service, new GrpcErrorInterceptor()))
                .build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("invalid", Status.Code.INVALID_ARGUMENT, 400, "INVALID_ARGUMENT"),
                Arguments.of("unauthenticated", Status.Code.UNAUTHENTICATED, 401, "UNAUTHENTICATED"),
                Arguments.of("denied", Status.Code.PERMISSION_DENIED, 403, "PERMISSION_DENIED"),
                Arguments.of("missing", Status.Code.NOT_FOUND, 404, "NOT_FOUND"),
                Arguments.of("exists", Status.Code.ALREADY_EXISTS, 409, "ALREADY_EXISTS"),
                Arguments.of("stale", Status.Code.ABORTED, 409, "VERSION_CONFLICT"),
                Arguments.of("draining", Status.Code.FAILED_PRECONDITION, 409, "FAILED_PRECONDITION"),
                Arguments.of("quota", Status.Code.RESOURCE_EXHAUSTED, 429, "QUOTA_EXCEEDED"),
                Arguments.of("capacity", Status.Code.RESOURCE_EXHAUSTED, 503, "CAPACITY_EXHAUSTED"),
                Arguments.of("overloaded", Status.Code.RESOURCE_EXHAUSTED, 503, "OVERLOADED"),
                Arguments.of("down", Status.Code.UNAVAILABLE, 503, "UNAVAILABLE"),
                Arguments.of("too-old", Status.Code.OUT_OF_RANGE, 410, "RESOURCE_VERSION_TOO_OLD"),
                Arguments.of("not-built", Status.Code.UNIMPLEMENTED, 501, "NOT_IMPLEMENTED"));
    }

    @Test
    void table_coversEveryExceptionType() {
        List<Class<?>> thrown = FAILURES.values().stream().<Class<?>>map(s -> s.get().getClass()).distinct().toList();
        List<Class<?>> declared = Arrays.asList(OrchestryException.class.getPermittedSubclasses());
        assertTrue(thrown.containsAll(declared), "every subclass of OrchestryException is walked: " + declared);
        assertEquals(FAILURES.size(), table().count());
    }

    @ParameterizedTest(name = "{0} -> {1} -> {2}")
    @MethodSource("table")
    void thrownException_reachesClient_withTableCodeAndHttpStatus(String failure, Status.Code code, int http, String reason) {
        assertMapped(call(UNARY, failure), code, http, reason, failure);
    }

    @ParameterizedTest(name = "{0} via onError -> {1}")
    @MethodSource("table")
    void exceptionPassedToOnError_isNotSentAsUnknown(String failure, Status.Code code, int http, String reason) {
        assertMapped(call(STREAM, failure), code, http, reason, failure);
    }

    @Test
    void requestId_isInTheLoggingMdc_whileTheCallRuns() {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(RequestIds.METADATA_KEY, "req-42");
        StringValue logged = ClientCalls.blockingUnaryCall(channel.newCall(LOGGED_ID, io.grpc.CallOptions.DEFAULT
                        .withDeadlineAfter(5, TimeUnit.SECONDS)), StringValue.of(""));
        assertEquals("null", logged.getValue(), "no id, nothing in the MDC");
        StringValue withId = ClientCalls.blockingUnaryCall(io.grpc.ClientInterceptors.intercept(channel,
                        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers)),
                LOGGED_ID, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of(""));
        assertEquals("req-42", withId.getValue());
    }

    @Test
    void unexpectedException_becomesInternal_withoutItsText() {
        StatusRuntimeException e = call(UNARY, "npe");
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertFalse(e.getStatus().getDescription().contains("secret"), e.getStatus().getDescription());
        Problem problem = Problems.fromStatus(e, "/x", f -> f);
        assertEquals(500, problem.status());
    }

    @Test
    void statusFromServiceFurtherDown_passesThrough() {
        StatusRuntimeException e = call(UNARY, "passthrough");
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("from below", e.getStatus().getDescription());
    }

    @Test
    void unimplemented_isNotImplemented() {
        Problem problem = Problems.fromStatus(Status.UNIMPLEMENTED.asRuntimeException(), "/x", f -> f);
        assertEquals(501, problem.status());
        assertNull(problem.retryAfterSeconds());
    }

    @Test
    void unreachableService_is503_withRetryAfter_andNoHostInDetail() {
        Problem problem = Problems.fromStatus(
                Status.UNAVAILABLE.withDescription("io exception: connection refused: /127.0.0.1:9090").asRuntimeException(),
                "/api/v1/nodes", f -> f);
        assertEquals(503, problem.status());
        assertEquals(1L, problem.retryAfterSeconds());
        assertFalse(problem.detail().contains("127.0.0.1"), problem.detail());
    }

    private static void assertMapped(StatusRuntimeException e, Status.Code code, int http, String reason, String failure) {
        assertEquals(code, e.getStatus().getCode());
        Problem problem = Problems.fromStatus(e, "/api/v1/things", field -> field.toUpperCase(Locale.ROOT));
        assertEquals(http, problem.status());
        assertEquals(reason, problem.reason());
        assertEquals("/api/v1/things", problem.instance());
        assertEquals(FAILURES.get(failure).get().getMessage(), problem.detail());
        if (failure.equals("invalid")) {
            assertEquals(List.of(new FieldViolation("NAME", "must be a DNS label"),
                    new FieldViolation("CAPACITY.CPU_MILLIS", "must not be negative")), problem.errors());
        } else {
            assertTrue(problem.errors().isEmpty());
        }
        if (http == 503) {
            assertEquals(failure.equals("down") ? 5L : Problems.DEFAULT_RETRY_AFTER_SECONDS, problem.retryAfterSeconds());
        } else {
            assertNull(problem.retryAfterSeconds());
        }
    }

    private static StatusRuntimeException call(MethodDescriptor<StringValue, StringValue> method, String failure) {
        StringValue request = StringValue.of(failure);
        return assertThrows(StatusRuntimeException.class, () -> {
            if (method == UNARY) {
                ClientCalls.blockingUnaryCall(channel, method, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request);
            } else {
                ClientCalls.blockingServerStreamingCall(channel, method, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request)
                        .forEachRemaining(v -> { });
            }
        });
    }

    private static RuntimeException failure(String name) {
        return switch (name) {
            case "npe" -> new NullPointerException("secret detail");
            case "passthrough" -> Status.NOT_FOUND.withDescription("from below").asRuntimeException();
            default -> FAILURES.get(name).get();
        };
    }

    private static MethodDescriptor<StringValue, StringValue> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<StringValue, StringValue>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Failing", name))
                .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                .build();
    }
}
