package io.orchestry.proxy.grpc;

import com.google.protobuf.Timestamp;

import java.time.Duration;
import java.time.Instant;

/** Time between the v1 contract ({@code google.protobuf.Timestamp}/{@code Duration}) and {@code java.time}. */
final class ProtoTime {
    private ProtoTime() {
    }

    static Timestamp toTimestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static com.google.protobuf.Duration toDuration(Duration duration) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }

    static Duration toJava(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }
}
