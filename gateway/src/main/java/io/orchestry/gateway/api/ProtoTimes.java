package io.orchestry.gateway.api;

import com.google.protobuf.Timestamp;

import java.time.Instant;

/** {@code google.protobuf.Timestamp} to and from {@link Instant}, for every mapper that reads or writes a time. */
public final class ProtoTimes {
    private ProtoTimes() {
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    public static Timestamp toTimestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
