package io.orchestry.proxy.metrics;

import io.orchestry.controlloop.SettableClock;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.error.GrpcErrorInterceptor;
import io.orchestry.proxy.v1.AppRequestMetrics;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
import io.orchestry.proxy.v1.StreamRequestMetricsRequest;
import io.orchestry.proxy.v1.StreamRequestMetricsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.orchestry.controlloop.SettableClock.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StreamRequestMetrics over a real gRPC server and channel on 127.0.0.1; the test moves the clock and ticks. */
class RequestMetricsStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final SettableClock clock = new SettableClock(START.plusMillis(300));
    private final Map<String, String> projects = Map.of("a", "shop", "b", "shop", "c", "blog");
    private final RequestWindows windows = new RequestWindows(clock, Duration.ofMinutes(5), () -> Set.of("a", "b", "c"),
            projects::get, null);
    private RequestMetricsStream streams;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        startServer(clock);
    }

    private void startServer(Clock windowsClock) throws Exception {
        streams = new RequestMetricsStream(windows, Duration.ofSeconds(1), Duration.ofMinutes(5), windowsClock, null);
        ProxyServiceGrpc.ProxyServiceImplBase endpoint = new ProxyServiceGrpc.ProxyServiceImplBase() {
            @Override
            public void streamRequestMetrics(StreamRequestMetricsRequest request,
                                             StreamObserver<StreamRequestMetricsResponse> responseObserver) {
                streams.stream(request, responseObserver);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(endpoint, new GrpcErrorInterceptor()))
                .build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        streams.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One open call, as its client sees it. */
    private static final class Client implements ClientResponseObserver<StreamRequestMetricsRequest, StreamRequestMetricsResponse> {
        final BlockingQueue<StreamRequestMetricsResponse> batches = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        volatile ClientCallStreamObserver<StreamRequestMetricsRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamRequestMetricsRequest> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(StreamRequestMetricsResponse value) {
            batches.add(value);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }

        StreamRequestMetricsResponse next() throws InterruptedException {
            StreamRequestMetricsResponse batch = batches.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(batch != null, "a batch within " + WAIT);
            return batch;
        }
    }

    private Client open(StreamRequestMetricsRequest request) {
        Client client = new Client();
        int before = streams.streams();
        ProxyServiceGrpc.newStub(channel).streamRequestMetrics(request, client);
        await(() -> streams.streams() == before + 1 || client.ended.isDone());
        return client;
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "condition within " + WAIT);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private void request(String app, long atMillis, int status, long latencyMillis) {
        windows.record(new AccessRecord(START.plusMillis(atMillis), "r-" + app, app, "127.0.0.1:1", status, 1,
                Duration.ofMillis(latencyMillis), Duration.ofMillis(latencyMillis)));
    }

    private static Instant end(AppRequestMetrics m) {
        return Instant.ofEpochMilli(com.google.protobuf.util.Timestamps.toMillis(m.getWindowEnd()));
    }

    @Test
    void stream_everyInterval_oneBatchWithEveryMatchingApp() throws Exception {
        Client client = open(StreamRequestMetricsRequest.getDefaultInstance());
        streams.tick();
        StreamRequestMetricsResponse first = client.next(); // the last whole second before the call
        assertEquals(List.of("a", "b", "c"), first.getMetricsList().stream().map(AppRequestMetrics::getApp).toList());
        assertEquals(START, end(first.getMetrics(0)));

        request("a", 500, 200, 4);
        request("a", 900, 503, 8);
        request("b", 999, 404, 1);
        clock.advance(Duration.ofSeconds(1)); // now 1.3 s: the window (0 s, 1 s] has settled
        streams.tick();
        StreamRequestMetricsResponse second = client.next();
        AppRequestMetrics a = second.getMetrics(0);
        assertEquals("a", a.getApp());
        assertEquals("shop", a.getProject());
        assertEquals(START.plusSeconds(1), end(a));
        assertEquals(START.getEpochSecond(), a.getWindowStart().getSeconds());
        assertEquals(2, a.getRequests());
        assertEquals(2.0, a.getRequestsPerSecond(), 1e-9);
        assertEquals(1, a.getStatus2Xx());
        assertEquals(1, a.getStatus5Xx());
        assertEquals(4, com.google.protobuf.util.Durations.toMillis(a.getLatencyP50()));
        assertEquals(8, com.google.protobuf.util.Durations.toMillis(a.getLatencyP99()));
        assertEquals(1, second.getMetrics(1).getStatus4Xx());
        assertEquals(0, second.getMetrics(2).getRequests());
        assertTrue(!second.getMetrics(2).hasLatencyP50(), "no percentiles without requests");

        clock.advance(Duration.ofMillis(500)); // 1.8 s: the next window (1 s, 2 s] has not settled
        streams.tick();
        streams.tick();
        clock.advance(Duration.ofMillis(500)); // 2.3 s
        streams.tick();
        StreamRequestMetricsResponse third = client.next();
        assertEquals(START.plusSeconds(2), end(third.getMetrics(0)));
        assertEquals(0, third.getMetrics(0).getRequests());
        assertNull(client.batches.poll(200, TimeUnit.MILLISECONDS), "one batch per interval");
    }

    @Test
    void stream_filters_onlyMatchingApps() throws Exception {
        Client blog = open(StreamRequestMetricsRequest.newBuilder().setProject("blog").build());
        Client b = open(StreamRequestMetricsRequest.newBuilder().setApp("b").build());
        Client none = open(StreamRequestMetricsRequest.newBuilder().setProject("shop").setApp("c").build());
        streams.tick();
        assertEquals(List.of("c"), blog.next().getMetricsList().stream().map(AppRequestMetrics::getApp).toList());
        assertEquals(List.of("b"), b.next().getMetricsList().stream().map(AppRequestMetrics::getApp).toList());
        assertEquals(0, none.next().getMetricsCount());
    }

    @Test
    void stream_longerInterval_windowsOfThatLength() throws Exception {
        clock.set(START.plusMillis(10_300));
        Client client = open(StreamRequestMetricsRequest.newBuilder()
                .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(5)).build());
        request("a", 6_000, 200, 1);
        request("a", 9_000, 200, 1);
        streams.tick();
        AppRequestMetrics a = client.next().getMetrics(0);
        assertEquals(START.plusSeconds(10), end(a));
        assertEquals(START.plusSeconds(5).getEpochSecond(), a.getWindowStart().getSeconds());
        assertEquals(2, a.getRequests());
        clock.advance(Duration.ofSeconds(4));
        streams.tick();
        assertNull(client.batches.poll(200, TimeUnit.MILLISECONDS));
        clock.advance(Duration.ofSeconds(1));
        streams.tick();
        assertEquals(START.plusSeconds(15), end(client.next().getMetrics(0)));
    }

    @Test
    void stream_behind_skipsToTheNewestWindow() throws Exception {
        Client client = open(StreamRequestMetricsRequest.getDefaultInstance());
        streams.tick();
        client.next();
        clock.advance(Duration.ofSeconds(30));
        streams.tick();
        assertEquals(START.plusSeconds(30), end(client.next().getMetrics(0)));
        streams.tick();
        assertNull(client.batches.poll(200, TimeUnit.MILLISECONDS), "no burst of the missed windows");
    }

    @Test
    void stream_intervalBelowMinimum_invalidArgumentNamingInterval() throws Exception {
        for (com.google.protobuf.Duration interval : List.of(
                com.google.protobuf.Duration.newBuilder().setNanos(500_000_000).build(),
                com.google.protobuf.Duration.newBuilder().setSeconds(-1).build(),
                com.google.protobuf.Duration.newBuilder().setSeconds(301).build(),
                com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(-5).build())) {
            Client client = open(StreamRequestMetricsRequest.newBuilder().setInterval(interval).build());
            Throwable error = client.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            StatusRuntimeException e = (StatusRuntimeException) error;
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), interval::toString);
            BadRequest badRequest = StatusProto.fromThrowable(e).getDetailsList().stream()
                    .filter(d -> d.is(BadRequest.class)).findFirst().orElseThrow().unpack(BadRequest.class);
            assertEquals("interval", badRequest.getFieldViolations(0).getField());
        }
        assertEquals(0, streams.streams());
    }

    @Test
    void stream_clientCancels_stopsSending() throws Exception {
        Client kept = open(StreamRequestMetricsRequest.getDefaultInstance());
        Client cancelled = open(StreamRequestMetricsRequest.getDefaultInstance());
        assertEquals(2, streams.streams());
        cancelled.call.cancel("enough", null);
        await(() -> streams.streams() == 1);
        streams.tick();
        kept.next();
        assertNull(cancelled.batches.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void close_openCalls_endWithUnavailable() throws Exception {
        Client client = open(StreamRequestMetricsRequest.getDefaultInstance());
        streams.close();
        StatusRuntimeException e = (StatusRuntimeException) client.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(0, streams.streams());
    }

    @Test
    void start_sharedTicker_batchesOneIntervalApartForEveryCall() throws Exception {
        tearDown();
        startServer(Clock.systemUTC());
        streams.start();
        Client one = open(StreamRequestMetricsRequest.getDefaultInstance());
        Client two = open(StreamRequestMetricsRequest.newBuilder().setApp("a").build());
        for (Client client : List.of(one, two)) {
            Instant first = end(client.next().getMetrics(0));
            Instant second = end(client.next().getMetrics(0));
            assertEquals(Duration.ofSeconds(1), Duration.between(first, second));
        }
        long tickers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("proxy-request-metrics")).count();
        assertEquals(1, tickers, "one ticker thread for every call");
    }
}
