package io.orchestry.proxy.metrics;

import com.google.protobuf.Timestamp;
import io.orchestry.proxy.v1.AppRequestMetrics;

import java.time.Duration;
import java.time.Instant;

/** {@link AppWindow} to its v1 message. */
public final class AppRequestMetricsMapper {
    private AppRequestMetricsMapper() {
    }

    public static AppRequestMetrics toProto(AppWindow window) {
        AppRequestMetrics.Builder proto = AppRequestMetrics.newBuilder()
                .setApp(window.app())
                .setProject(window.project())
                .setWindowStart(timestamp(window.windowStart()))
                .setWindowEnd(timestamp(window.windowEnd()))
                .setRequests(window.requests())
                .setRequestsPerSecond(window.requestsPerSecond())
                .setStatus2Xx(window.status2xx())
                .setStatus3Xx(window.status3xx())
                .setStatus4Xx(window.status4xx())
                .setStatus5Xx(window.status5xx());
        if (window.p50() != null) {
            proto.setLatencyP50(duration(window.p50()));
        }
        if (window.p95() != null) {
            proto.setLatencyP95(duration(window.p95()));
        }
        if (window.p99() != null) {
            proto.setLatencyP99(duration(window.p99()));
        }
        return proto.build();
    }

    static Duration fromProto(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static com.google.protobuf.Duration duration(Duration duration) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano())
                .build();
    }
}
