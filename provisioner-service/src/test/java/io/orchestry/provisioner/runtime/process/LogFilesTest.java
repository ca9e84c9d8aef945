package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.WorkloadId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFilesTest {
    private static final WorkloadId ID = new WorkloadId("orchestry-web-1-0");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static void append(LogFiles logs, LogEntry.Stream stream, String text) throws Exception {
        Files.writeString(logs.file(stream), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void tail_timesLinesByTheTickThatSawThem_mergesStreams_filtersSince(@TempDir Path dir) throws Exception {
        LogFiles logs = new LogFiles(dir, 1_000_000, 3);
        append(logs, LogEntry.Stream.STDERR, "started\n");
        append(logs, LogEntry.Stream.STDOUT, "a\nb\n");
        logs.tick(T0);
        append(logs, LogEntry.Stream.STDOUT, "c\n");
        logs.tick(T0.plusSeconds(10));
        append(logs, LogEntry.Stream.STDOUT, "d\n"); // not seen by a tick yet

        List<LogEntry> all = logs.tail(ID, 100, null, T0.plusSeconds(20));
        List<LogEntry> recent = logs.tail(ID, 100, T0.plusSeconds(5), T0.plusSeconds(20));
        List<LogEntry> last2 = logs.tail(ID, 2, null, T0.plusSeconds(20));

        // lines of one tick are ordered stdout first, then stderr: their order across streams is not known
        assertEquals(List.of("a", "b", "started", "c", "d"), all.stream().map(LogEntry::text).toList());
        assertEquals(T0, all.get(1).time());
        assertEquals(T0.plusSeconds(10), all.get(3).time());
        assertEquals(T0.plusSeconds(20), all.get(4).time());
        assertEquals(LogEntry.Stream.STDERR, all.get(2).stream());
        assertEquals(List.of("c", "d"), recent.stream().map(LogEntry::text).toList());
        assertEquals(List.of("c", "d"), last2.stream().map(LogEntry::text).toList());
    }

    @Test
    void tailToLineEnds_thenFollowFromThere_everyLineOnce_aLineBeingWrittenWhole(@TempDir Path dir) throws Exception {
        LogFiles logs = new LogFiles(dir, 1_000_000, 3);
        append(logs, LogEntry.Stream.STDOUT, "a\nb\npart");
        Map<LogEntry.Stream, Long> ends = logs.lineEnds();
        append(logs, LogEntry.Stream.STDOUT, "ial\nc\n"); // written between the tail and the follow's start

        List<LogEntry> tail = logs.tail(ID, 100, null, T0, ends);
        LinkedBlockingQueue<LogEntry> followed = new LinkedBlockingQueue<>();
        try (LogFollower follower = new LogFollower(ID, logs, ends, followed::add, Clock.systemUTC())) {
            List<String> seen = new ArrayList<>();
            while (seen.size() < 2) {
                LogEntry next = followed.poll(10, TimeUnit.SECONDS);
                assertTrue(next != null, "followed only " + seen);
                seen.add(next.text());
            }
            assertEquals(List.of("a", "b"), tail.stream().map(LogEntry::text).toList());
            assertEquals(List.of("partial", "c"), seen);
            assertEquals(Map.of(LogEntry.Stream.STDOUT, 4L, LogEntry.Stream.STDERR, 0L), ends);
        }
    }

    @Test
    void tick_pastMaxBytes_rotatesKeepingFilesPerStream_andTailReadsAcrossThem(@TempDir Path dir) throws Exception {
        LogFiles logs = new LogFiles(dir, 10, 3);
        for (int round = 0; round < 5; round++) {
            append(logs, LogEntry.Stream.STDOUT, "line-" + round + "-xxxxxx\n");
            logs.tick(T0.plusSeconds(round));
        }
        append(logs, LogEntry.Stream.STDOUT, "current\n");

        assertTrue(Files.exists(dir.resolve("stdout.log.1")));
        assertTrue(Files.exists(dir.resolve("stdout.log.2")));
        assertTrue(Files.notExists(dir.resolve("stdout.log.3")));
        List<LogEntry> tail = logs.tail(ID, 100, null, T0.plusSeconds(9));
        assertEquals(List.of("line-3-xxxxxx", "line-4-xxxxxx", "current"), tail.stream().map(LogEntry::text).toList());
        assertEquals(T0.plusSeconds(3), tail.get(0).time());
    }

    @Test
    void newLogFiles_overExistingIndex_continuesWhereItEnded(@TempDir Path dir) throws Exception {
        LogFiles first = new LogFiles(dir, 1_000_000, 3);
        append(first, LogEntry.Stream.STDOUT, "before\n");
        first.tick(T0);
        append(first, LogEntry.Stream.STDOUT, "while down\n");

        LogFiles second = new LogFiles(dir, 1_000_000, 3);
        second.tick(T0.plusSeconds(60));

        List<LogEntry> tail = second.tail(ID, 10, null, T0.plusSeconds(99));
        assertEquals(T0, tail.get(0).time());
        assertEquals(T0.plusSeconds(60), tail.get(1).time());
    }
}
