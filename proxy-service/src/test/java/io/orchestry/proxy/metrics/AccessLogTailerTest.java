package io.orchestry.proxy.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tailer on a real file in a temp folder, polled by the test (no ticker thread) except where said. */
class AccessLogTailerTest {
    @TempDir
    Path folder;
    private Path log;
    private final List<AccessRecord> records = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private AccessLogTailer tailer;

    @BeforeEach
    void setUp() {
        log = folder.resolve("logs").resolve("access.json");
    }

    @AfterEach
    void tearDown() {
        if (tailer != null) {
            tailer.close();
        }
    }

    private AccessLogTailer tailer() {
        tailer = new AccessLogTailer(log, records::add, registry);
        return tailer;
    }

    private static String line(String app, int status) {
        return "{\"time\":\"1767225600.500\",\"route\":\"r\",\"app\":\"" + app + "\",\"upstream\":\"127.0.0.1:1\","
                + "\"status\":\"" + status + "\",\"bytes\":\"3\",\"request_time\":\"0.002\",\"upstream_time\":\"0.001\"}\n";
    }

    private void append(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<String> apps() {
        return records.stream().map(AccessRecord::app).toList();
    }

    private double malformedCounted() {
        return registry.get("orchestry.proxy.access_log.malformed").counter().count();
    }

    @Test
    void poll_fileMissingThenCreated_readFromItsStart() throws IOException {
        AccessLogTailer t = tailer();
        t.poll();
        t.poll();
        append(log, line("a", 200) + line("b", 200));
        t.poll();
        assertEquals(List.of("a", "b"), apps());
    }

    @Test
    void poll_existingFileAtStart_oldLinesNotCounted() throws IOException {
        append(log, line("old", 200) + line("old", 200));
        AccessLogTailer t = tailer();
        t.poll();
        assertEquals(List.of(), apps());
        append(log, line("a", 200));
        t.poll();
        assertEquals(List.of("a"), apps());
        assertEquals(0, t.malformedLines());
    }

    @Test
    void poll_existingFileEndsInsideALineAtStart_restOfThatLineSkippedQuietly() throws IOException {
        String half = line("old", 200);
        append(log, line("old", 200) + half.substring(0, 40));
        AccessLogTailer t = tailer();
        t.poll();
        append(log, half.substring(40) + line("a", 200));
        t.poll();
        assertEquals(List.of("a"), apps());
        assertEquals(0, t.malformedLines());
    }

    @Test
    void poll_partialLastLine_readOnceWhenComplete() throws IOException {
        AccessLogTailer t = tailer();
        t.poll();
        String whole = line("a", 200);
        append(log, whole.substring(0, 10));
        t.poll();
        append(log, whole.substring(10, 50));
        t.poll();
        assertEquals(List.of(), apps());
        append(log, whole.substring(50) + line("b", 500).substring(0, 5));
        t.poll();
        assertEquals(List.of("a"), apps());
        append(log, line("b", 500).substring(5));
        t.poll();
        t.poll();
        assertEquals(List.of("a", "b"), apps());
        assertEquals(500, records.get(1).status());
        assertEquals(0, t.malformedLines());
    }

    @Test
    void poll_manyLinesAcrossReadChunks_everyLineOnce() throws IOException {
        AccessLogTailer t = tailer();
        t.poll();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append(line("a" + i, 200));
        }
        append(log, text.toString()); // ~800 kB: many 64 kB reads, lines cut at their edges
        t.poll();
        assertEquals(5000, records.size());
        assertEquals("a4999", records.get(4999).app());
        assertEquals(0, t.malformedLines());
    }

    @Test
    void poll_truncated_readFromStart() throws IOException {
        AccessLogTailer t = tailer();
        append(log, line("a", 200) + line("a", 200) + line("a", 200));
        t.poll();
        assertEquals(3, records.size());
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0); // copytruncate
        }
        append(log, line("b", 200));
        t.poll();
        assertEquals(List.of("a", "a", "a", "b"), apps());
    }

    @Test
    void poll_rotated_oldFileFinishedThenNewFromStart() throws IOException {
        AccessLogTailer t = tailer();
        append(log, line("a", 200));
        t.poll();
        Path rotated = log.resolveSibling("access.json.1");
        Files.move(log, rotated);
        append(rotated, line("b", 200)); // nginx writes to the old file until it reopens its logs
        t.poll();
        assertEquals(List.of("a", "b"), apps());
        append(rotated, line("c", 200));
        append(log, line("d", 200) + line("e", 200)); // reopened: a new file under the path
        t.poll();
        assertEquals(List.of("a", "b", "c", "d", "e"), apps());
        append(rotated, line("late", 200));
        append(log, line("f", 200));
        t.poll();
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), apps());
    }

    @Test
    void poll_replacedBetweenPolls_newFileReadFromStart() throws IOException {
        AccessLogTailer t = tailer();
        append(log, line("a", 200));
        t.poll();
        Path next = folder.resolve("next.json");
        append(next, line("b", 200) + line("c", 200) + line("d", 200));
        Files.move(next, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        t.poll();
        assertEquals(List.of("a", "b", "c", "d"), apps());
    }

    @Test
    void poll_malformedLines_countedAndSkipped() throws IOException {
        AccessLogTailer t = tailer();
        t.poll();
        append(log, "garbage\n" + line("a", 200) + "{\"time\":\"1\"}\n\n" + "{\"status\":404,\"x\":1}\n"
                + "x".repeat(300_000) + "\n" + line("b", 200) + "\u00ff\u0000\n");
        t.poll();
        assertEquals(List.of("a", "b"), apps());
        assertEquals(5, t.malformedLines());
        assertEquals(5, malformedCounted());
    }

    @Test
    void poll_invalidUtf8InAValue_lineStillCounted() throws IOException {
        AccessLogTailer t = tailer();
        t.poll();
        Files.createDirectories(log.getParent());
        byte[] raw = line("caf\u00e9", 200).getBytes(StandardCharsets.ISO_8859_1); // nginx copies bytes >= 0x80 as they are
        Files.write(log, raw, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        t.poll();
        assertEquals(1, records.size());
        assertEquals(0, t.malformedLines());
    }

    @Test
    void start_ticker_readsWithoutPolls() throws Exception {
        AccessLogTailer t = tailer();
        t.start();
        append(log, line("a", 200) + line("b", 200));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (records.size() < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(List.of("a", "b"), apps());
        t.close();
        append(log, line("c", 200));
        Thread.sleep(300);
        assertTrue(records.size() == 2, "no poll after close");
    }
}
