package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.model.StreamType;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.WorkloadId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses the engine's log frames (asked with {@code timestamps=true}): each frame is one line a container wrote, as
 * {@code <RFC 3339 nanosecond time> <text>\n}, tagged stdout or stderr. Pure.
 */
final class LogFrames {
    private LogFrames() {
    }

    /** The entry of one frame; empty for a frame that is neither stdout nor stderr. */
    static Optional<LogEntry> parse(WorkloadId id, StreamType type, byte[] payload, Instant fallbackTime) {
        LogEntry.Stream stream = switch (type) {
            case STDOUT, RAW -> LogEntry.Stream.STDOUT;
            case STDERR -> LogEntry.Stream.STDERR;
            default -> null;
        };
        if (stream == null) {
            return Optional.empty();
        }
        String line = new String(payload, StandardCharsets.UTF_8);
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        line = line.substring(0, end);
        int space = line.indexOf(' ');
        String stamp = space < 0 ? line : line.substring(0, space);
        try {
            Instant time = Instant.parse(stamp);
            return Optional.of(new LogEntry(id, stream, time, space < 0 ? "" : line.substring(space + 1)));
        } catch (DateTimeParseException notStamped) {
            return Optional.of(new LogEntry(id, stream, fallbackTime, line));
        }
    }
}
