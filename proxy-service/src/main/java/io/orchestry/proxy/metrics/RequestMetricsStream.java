package io.orchestry.proxy.metrics;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Controller;
import io.orchestry.error.GrpcStatuses;
import io.orchestry.error.UnavailableException;
import io.orchestry.error.Violations;
import io.orchestry.proxy.v1.StreamRequestMetricsRequest;
import io.orchestry.proxy.v1.StreamRequestMetricsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of {@code StreamRequestMetrics}: every interval, one batch per call with an {@code AppRequestMetrics}
 * for each app that matches its filter (apps without requests too), for the window of that interval. Every call is
 * served by one shared ticker ({@link #TICK}), not a thread per call: a call's windows end on whole seconds, back to
 * back, and the window ending at {@code e} is sent once the clock passes {@code e + }{@link #SETTLE}, when the tailer
 * has read its last lines. The first batch covers the last whole interval before the call. A call that falls behind (a
 * slow client, a paused process) skips to the newest window rather than bursting; a batch the client is not ready for
 * is skipped. A call ends when the client cancels it, or with UNAVAILABLE when this stream is closed.
 */
public final class RequestMetricsStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestMetricsStream.class);
    public static final Duration TICK = Duration.ofMillis(100);
    /** How long after a window's end it is sent: nginx writes a line when a request ends, the tailer polls every 100 ms. */
    public static final Duration SETTLE = Duration.ofMillis(250);

    private final RequestMetrics metrics;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final Clock clock;
    private final Controller<String> ticker;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();

    /**
     * @param minInterval the default and smallest interval ({@code orchestry.proxy.metrics.interval})
     * @param maxInterval the largest ({@code orchestry.proxy.metrics.retention}: a longer window would be cut short)
     * @param clock       the windows' clock (the ticker itself runs on the system clock)
     */
    public RequestMetricsStream(RequestMetrics metrics, Duration minInterval, Duration maxInterval, Clock clock,
                                @Nullable MeterRegistry meterRegistry) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (minInterval.compareTo(Duration.ofSeconds(1)) < 0 || maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("intervals need 1s <= min <= max, got " + minInterval + ", " + maxInterval);
        }
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Controller.periodic("proxy-request-metrics", TICK, this::tick, Clock.systemUTC(), meterRegistry);
        if (meterRegistry != null) {
            Gauge.builder("orchestry.proxy.request_metrics.streams", calls, Set::size)
                    .description("Open StreamRequestMetrics calls").register(meterRegistry);
        }
    }

    /** Starts the shared ticker. */
    public void start() {
        ticker.start();
    }

    /**
     * Serves one call. A bad request throws {@link io.orchestry.error.InvalidArgumentException} (field {@code interval})
     * before anything is sent; the error interceptor answers it.
     */
    public void stream(StreamRequestMetricsRequest request, StreamObserver<StreamRequestMetricsResponse> observer) {
        Duration interval = interval(request);
        if (!(observer instanceof ServerCallStreamObserver<StreamRequestMetricsResponse> response)) {
            throw new IllegalArgumentException("a server call's observer is needed, got " + observer.getClass());
        }
        Call call = new Call(response, request.getProject(), request.getApp(), interval, firstEnd(clock.instant()));
        response.setOnCancelHandler(() -> {
            calls.remove(call);
            call.close();
        });
        calls.add(call);
        if (response.isCancelled()) { // cancelled before the handler was set
            calls.remove(call);
        }
    }

    /** Sends every call's due batch; the ticker runs it every {@link #TICK}, tests call it themselves. */
    public void tick() {
        Instant now = clock.instant();
        Map<List<Object>, List<AppWindow>> windows = new HashMap<>(); // calls with the same window share it
        calls.removeIf(call -> {
            Instant end = call.dueEnd(now);
            if (end == null) {
                return false;
            }
            List<AppWindow> batch = windows.computeIfAbsent(List.of(end, call.interval),
                    k -> metrics.window(end, call.interval));
            return !call.send(batch, end, now);
        });
    }

    /** Open calls. */
    public int streams() {
        return calls.size();
    }

    /** Stops the ticker and ends every open call with UNAVAILABLE, so that clients connect again (to another replica). */
    @Override
    public void close() {
        ticker.stop();
        calls.removeIf(call -> {
            call.fail();
            return true;
        });
    }

    @SuppressWarnings("ProtoDurationGetSecondsGetNano") // validates the nanos field itself
    private Duration interval(StreamRequestMetricsRequest request) {
        if (!request.hasInterval()) {
            return minInterval;
        }
        com.google.protobuf.Duration proto = request.getInterval();
        Duration interval = AppRequestMetricsMapper.fromProto(proto);
        Violations violations = new Violations();
        if (violations.require(proto.getNanos() >= 0 && proto.getNanos() < 1_000_000_000, "interval",
                "nanos must be in [0, 999999999]")) {
            violations.require(interval.compareTo(minInterval) >= 0, "interval", "must be at least " + minInterval);
            violations.require(interval.compareTo(maxInterval) <= 0, "interval", "must be at most " + maxInterval);
        }
        violations.throwIfAny();
        return interval;
    }

    /** The end of a call's first window: the last whole second that has settled. */
    private static Instant firstEnd(Instant now) {
        return Instant.ofEpochSecond(now.minus(SETTLE).getEpochSecond());
    }

    /** One open call and the end of its next window. */
    private static final class Call {
        private final ServerCallStreamObserver<StreamRequestMetricsResponse> response;
        private final String project;
        private final String app;
        private final Duration interval;
        private Instant nextEnd;
        private boolean closed;

        Call(ServerCallStreamObserver<StreamRequestMetricsResponse> response, String project, String app,
             Duration interval, Instant firstEnd) {
            this.response = response;
            this.project = project;
            this.app = app;
            this.interval = interval;
            this.nextEnd = firstEnd;
        }

        /** The end of the window to send now, or null when the next one has not settled yet. */
        synchronized Instant dueEnd(Instant now) {
            if (closed || nextEnd.plus(SETTLE).isAfter(now)) {
                return null;
            }
            long behind = Duration.between(nextEnd.plus(SETTLE), now).toNanos() / interval.toNanos();
            if (behind > 0) {
                LOG.debug("a request metrics stream skips {} window(s)", behind);
                nextEnd = nextEnd.plus(interval.multipliedBy(behind));
            }
            return nextEnd;
        }

        /** Sends the batch for the window ending at {@code end}; false when the call is over. */
        synchronized boolean send(List<AppWindow> windows, Instant end, Instant now) {
            if (closed) {
                return false;
            }
            nextEnd = end.plus(interval);
            if (!response.isReady()) {
                return true; // the client has not read the last one: skip this batch, not pile them up
            }
            StreamRequestMetricsResponse.Builder batch = StreamRequestMetricsResponse.newBuilder();
            for (AppWindow window : windows) {
                if ((project.isEmpty() || project.equals(window.project())) && (app.isEmpty() || app.equals(window.app()))) {
                    batch.addMetrics(AppRequestMetricsMapper.toProto(window));
                }
            }
            try {
                response.onNext(batch.build());
                return true;
            } catch (RuntimeException e) {
                LOG.debug("a request metrics stream ended at {}: {}", now, e.toString());
                closed = true;
                return false;
            }
        }

        synchronized void close() {
            closed = true;
        }

        synchronized void fail() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                response.onError(GrpcStatuses.toStatusRuntimeException(
                        new UnavailableException("request metrics", Duration.ofSeconds(1), null)));
            } catch (RuntimeException e) {
                LOG.debug("ending a request metrics stream: {}", e.toString());
            }
        }
    }
}
