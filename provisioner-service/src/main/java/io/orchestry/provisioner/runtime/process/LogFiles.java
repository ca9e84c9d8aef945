package io.orchestry.provisioner.runtime.process;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.WorkloadId;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A workload's {@code logs/stdout.log} and {@code logs/stderr.log}. The process writes them itself (opened for append),
 * so it keeps logging while no provisioner runs and never dies of a broken pipe. Time and size are the driver's work, on
 * each {@link #tick}: a sidecar {@code <stream>.log.idx} records "start end epochMillis" for every range of bytes that
 * appeared since the last tick (a line's time is the tick that first saw it: ~0.25 s resolution, and lines written while
 * no provisioner ran get the time it came back), and past {@code maxBytes} a file is rotated by copy and truncate (to
 * {@code .1}, ..., keeping {@code files} per stream; lines written between the copy and the truncate are lost).
 */
final class LogFiles {
    private final Path dir;
    private final long maxBytes;
    private final int files;
    private final Map<LogEntry.Stream, Long> indexed = new EnumMap<>(LogEntry.Stream.class);

    private record Span(long start, long end, Instant time) {
    }

    LogFiles(Path dir, long maxBytes, int files) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.files = files;
        for (LogEntry.Stream stream : LogEntry.Stream.values()) {
            List<Span> spans = spans(index(stream, 0));
            indexed.put(stream, spans.isEmpty() ? 0 : spans.get(spans.size() - 1).end());
        }
    }

    Path dir() {
        return dir;
    }

    Path file(LogEntry.Stream stream) {
        return dir.resolve(stream.name().toLowerCase(java.util.Locale.ROOT) + ".log");
    }

    private Path rotated(LogEntry.Stream stream, int n) {
        return n == 0 ? file(stream) : dir.resolve(file(stream).getFileName() + "." + n);
    }

    private Path index(LogEntry.Stream stream, int n) {
        return dir.resolve(rotated(stream, n).getFileName() + ".idx");
    }

    /** Records when new bytes appeared and rotates a file past its size; called from one thread per workload at a time. */
    synchronized void tick(Instant now) throws IOException {
        for (LogEntry.Stream stream : LogEntry.Stream.values()) {
            long size = size(file(stream));
            long from = indexed.get(stream);
            if (size < from) {
                from = 0; // truncated by someone else
            }
            if (size > from) {
                Files.writeString(index(stream, 0), from + " " + size + " " + now.toEpochMilli() + "\n", StandardCharsets.US_ASCII,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            indexed.put(stream, size);
            if (size > maxBytes) {
                rotate(stream);
            }
        }
    }

    private void rotate(LogEntry.Stream stream) throws IOException {
        for (int n = files - 1; n >= 1; n--) {
            Path older = rotated(stream, n);
            if (n == files - 1) {
                Files.deleteIfExists(older);
                Files.deleteIfExists(index(stream, n));
            } else if (Files.exists(older)) {
                Files.move(older, rotated(stream, n + 1), StandardCopyOption.REPLACE_EXISTING);
                if (Files.exists(index(stream, n))) {
                    Files.move(index(stream, n), index(stream, n + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (files > 1) {
            Files.copy(file(stream), rotated(stream, 1), StandardCopyOption.REPLACE_EXISTING);
            if (Files.exists(index(stream, 0))) {
                Files.copy(index(stream, 0), index(stream, 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (FileChannel channel = FileChannel.open(file(stream), StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        Files.deleteIfExists(index(stream, 0));
        indexed.put(stream, 0L);
    }

    /**
     * The last {@code lines} lines of both streams at or after {@code since}, oldest first; a line's time comes from the
     * index (lines not indexed yet get {@code now}).
     */
    List<LogEntry> tail(WorkloadId id, int lines, @Nullable Instant since, Instant now) throws IOException {
        return tail(id, lines, since, now, null);
    }

    /** As {@link #tail(WorkloadId, int, Instant, Instant)}, reading the current files only up to {@code upTo} (see {@link #lineEnds}). */
    synchronized List<LogEntry> tail(WorkloadId id, int lines, @Nullable Instant since, Instant now,
                                     @Nullable Map<LogEntry.Stream, Long> upTo) throws IOException {
        List<LogEntry> all = new ArrayList<>();
        for (LogEntry.Stream stream : LogEntry.Stream.values()) {
            List<LogEntry> ofStream = new ArrayList<>();
            for (int n = 0; n < files && (ofStream.size() < lines || since != null); n++) {
                if (!Files.exists(rotated(stream, n))) {
                    break;
                }
                ofStream.addAll(0, read(id, stream, n, now, n == 0 && upTo != null ? upTo.get(stream) : Long.MAX_VALUE));
            }
            all.addAll(ofStream);
        }
        all.sort(Comparator.comparing(LogEntry::time)); // stable: each stream keeps its order
        List<LogEntry> kept = since == null ? all : all.stream().filter(e -> !e.time().isBefore(since)).toList();
        return kept.subList(Math.max(0, kept.size() - lines), kept.size());
    }

    private List<LogEntry> read(WorkloadId id, LogEntry.Stream stream, int n, Instant now, long upTo) throws IOException {
        byte[] bytes = Files.readAllBytes(rotated(stream, n));
        int length = (int) Math.min(bytes.length, upTo);
        List<Span> spans = spans(index(stream, n));
        List<LogEntry> entries = new ArrayList<>();
        int start = 0;
        int span = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            while (span < spans.size() && spans.get(span).end() <= start) {
                span++;
            }
            Instant time = span < spans.size() && spans.get(span).start() <= start ? spans.get(span).time() : now;
            entries.add(new LogEntry(id, stream, time, new String(bytes, start, i - start, StandardCharsets.UTF_8)));
            start = i + 1;
        }
        return entries;
    }

    private static List<Span> spans(Path index) {
        List<Span> spans = new ArrayList<>();
        try {
            if (!Files.exists(index)) {
                return spans;
            }
            for (String line : Files.readAllLines(index, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    spans.add(new Span(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Instant.ofEpochMilli(Long.parseLong(parts[2]))));
                }
            }
        } catch (IOException | NumberFormatException damaged) {
            return spans;
        }
        return spans;
    }

    /**
     * Where each current file's complete lines end now (just after its last newline): a tail read up to there and a
     * follower started there see every line once, a line being written included.
     */
    synchronized Map<LogEntry.Stream, Long> lineEnds() throws IOException {
        Map<LogEntry.Stream, Long> ends = new EnumMap<>(LogEntry.Stream.class);
        for (LogEntry.Stream stream : LogEntry.Stream.values()) {
            ends.put(stream, lineEnd(file(stream)));
        }
        return ends;
    }

    private static long lineEnd(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = channel.size();
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(8192);
            while (end > 0) {
                long from = Math.max(0, end - chunk.capacity());
                chunk.clear().limit((int) (end - from));
                while (chunk.hasRemaining() && channel.read(chunk, from + chunk.position()) >= 0) {
                    // fill the chunk
                }
                for (int i = chunk.position() - 1; i >= 0; i--) {
                    if (chunk.get(i) == '\n') {
                        return from + i + 1;
                    }
                }
                end = from;
            }
            return 0;
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException missing) {
            return 0;
        }
    }
}
