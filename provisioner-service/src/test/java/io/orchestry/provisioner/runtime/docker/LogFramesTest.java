package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.model.StreamType;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.WorkloadId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFramesTest {
    private static final WorkloadId ID = new WorkloadId("orchestry-web-1-0");
    private static final Instant FALLBACK = Instant.parse("2026-05-05T00:00:00Z");

    private static Optional<LogEntry> parse(StreamType type, String payload) {
        return LogFrames.parse(ID, type, payload.getBytes(StandardCharsets.UTF_8), FALLBACK);
    }

    @Test
    void parse_stampedStdoutLine_splitsTimeAndText() {
        assertEquals(Optional.of(new LogEntry(ID, LogEntry.Stream.STDOUT,
                        Instant.parse("2026-12-01T23:05:10.123456789Z"), "GET /health 200")),
                parse(StreamType.STDOUT, "2026-12-01T23:05:10.123456789Z GET /health 200\n"));
    }

    @Test
    void parse_stderrWithCrLfAndSpaces_keepsInnerSpaces() {
        assertEquals(Optional.of(new LogEntry(ID, LogEntry.Stream.STDERR, Instant.parse("2026-12-01T23:05:10Z"),
                        "  indented  text ")),
                parse(StreamType.STDERR, "2026-12-01T23:05:10Z   indented  text \r\n"));
    }

    @Test
    void parse_emptyLine_isAnEmptyEntry() {
        assertEquals("", parse(StreamType.STDOUT, "2026-12-01T23:05:10Z \n").orElseThrow().text());
        assertEquals("", parse(StreamType.STDOUT, "2026-12-01T23:05:10Z\n").orElseThrow().text());
    }

    @Test
    void parse_unstampedLine_keepsItWholeAtTheFallbackTime() {
        assertEquals(Optional.of(new LogEntry(ID, LogEntry.Stream.STDOUT, FALLBACK, "no stamp here")),
                parse(StreamType.RAW, "no stamp here\n"));
    }

    @Test
    void parse_stdin_isNoEntry() {
        assertTrue(parse(StreamType.STDIN, "2026-12-01T23:05:10Z typed\n").isEmpty());
    }
}
