package io.orchestry.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Controller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Follows nginx's JSON access log like {@code tail -F}: every {@link #POLL_INTERVAL} it reads the complete lines written
 * since the last poll and hands each parsed {@link AccessRecord} to the sink. It starts where a file that exists when the
 * tailer is made ends (a restart does not count old lines again) and reads a file that appears later from its start; it
 * waits for a file that does not exist yet; a file shorter than the offset (truncated, copytruncate) is read again from
 * the start; a file replaced under the path (rotated: another file key) is read to its end, then the new one from its
 * start. While the path is missing (renamed away, nginx not yet reopened) it keeps reading the file it has open. A
 * partial last line waits in memory for its end, so it is neither read twice nor half. A line that does not parse is
 * counted ({@code orchestry.proxy.access_log.malformed}) and skipped.
 *
 * <p>{@link #poll} runs on one thread at a time: the ticker's, or a test's (without {@link #start}).
 */
public final class AccessLogTailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogTailer.class);
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final Consumer<AccessRecord> sink;
    private final Controller<String> ticker;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    @Nullable
    private final Counter malformedCounter;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    /** The file under the path when this tailer was made, and its size then: where reading it starts. */
    @Nullable
    private final Object startKey;
    private final long startSize;
    @Nullable
    private FileChannel channel;
    @Nullable
    private Object fileKey;
    private long offset;
    /** Set when reading starts inside a line (the end of a file found at start): its rest is not a whole line. */
    private boolean skipToLineEnd;
    /** The partial line is longer than any line of ours: drop it up to its end. */
    private boolean overlong;
    @Nullable
    private String lastFailure;

    public AccessLogTailer(Path file, Consumer<AccessRecord> sink, @Nullable MeterRegistry meterRegistry) {
        this.file = Objects.requireNonNull(file, "file");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.malformedCounter = meterRegistry == null ? null : Counter.builder("orchestry.proxy.access_log.malformed")
                .description("Access log lines that did not parse and were skipped").register(meterRegistry);
        BasicFileAttributes atStart = attributesOrNull(file);
        this.startKey = atStart == null ? null : atStart.fileKey();
        this.startSize = atStart == null ? 0 : atStart.size();
        this.ticker = Controller.periodic("proxy-access-log", POLL_INTERVAL, this::poll, java.time.Clock.systemUTC(),
                meterRegistry);
    }

    /** Starts polling on the ticker's thread. */
    public void start() {
        ticker.start();
    }

    /** Stops polling and closes the file. */
    @Override
    public void close() {
        ticker.stop();
        synchronized (this) {
            closeChannel();
        }
    }

    /** Lines skipped because they did not parse, since this tailer was made. */
    public long malformedLines() {
        return malformed.get();
    }

    /** Lines handed to the sink, since this tailer was made. */
    public long records() {
        return lines.get();
    }

    /** Reads what was written since the last poll; never throws for a missing or unreadable file (it logs). */
    public synchronized void poll() {
        try {
            BasicFileAttributes current = attributes();
            if (channel != null && current != null && !Objects.equals(current.fileKey(), fileKey)) {
                readToEnd(); // rotated: finish the old file first
                if (partial.size() > 0 && !skipToLineEnd) {
                    countMalformed("the rotated file ended inside a line");
                }
                closeChannel();
            }
            if (channel == null) {
                if (current == null) {
                    return;
                }
                open(current);
            }
            if (channel.size() < offset) {
                LOG.info("access log {} was truncated; reading it from the start", file);
                offset = 0;
                partial.reset();
                skipToLineEnd = false;
                overlong = false;
            }
            readToEnd();
            lastFailure = null;
        } catch (IOException e) {
            if (!e.toString().equals(lastFailure)) { // once per kind of failure, not ten times a second
                LOG.warn("could not read the access log {}: {}", file, e.toString());
                lastFailure = e.toString();
            }
            closeChannel(); // opened again on the next poll; the offset is kept if it is the same file
        }
    }

    @Nullable
    private BasicFileAttributes attributes() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Nullable
    private static BasicFileAttributes attributesOrNull(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return null; // missing (or unreadable: then it is read from its start once it can be)
        }
    }

    private void open(BasicFileAttributes attributes) throws IOException {
        FileChannel opened = FileChannel.open(file, StandardOpenOption.READ);
        BasicFileAttributes after = attributes();
        if (after == null || !Objects.equals(after.fileKey(), attributes.fileKey())) {
            opened.close(); // replaced while opening: look again on the next poll
            throw new IOException("the file was replaced while it was opened");
        }
        boolean sameFile = fileKey != null && Objects.equals(fileKey, attributes.fileKey());
        channel = opened;
        if (!sameFile) {
            fileKey = attributes.fileKey();
            partial.reset();
            overlong = false;
            offset = 0;
            skipToLineEnd = false;
            if (startKey != null && startKey.equals(fileKey) && opened.size() >= startSize) {
                offset = startSize; // lines written before this tailer was made were counted by the previous process
                skipToLineEnd = offset > 0 && !endsWithNewline(opened, offset);
            }
        }
    }

    private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        return channel.read(last, size - 1) == 1 && last.get(0) == '\n';
    }

    private void readToEnd() throws IOException {
        long size = channel.size();
        while (offset < size) {
            buffer.clear();
            int read = channel.read(buffer, offset);
            if (read <= 0) {
                return;
            }
            offset += read;
            byte[] bytes = buffer.array();
            int start = 0;
            for (int i = 0; i < read; i++) {
                if (bytes[i] == '\n') {
                    append(bytes, start, i - start);
                    endOfLine();
                    start = i + 1;
                }
            }
            append(bytes, start, read - start);
        }
    }

    private void append(byte[] bytes, int from, int length) {
        if (skipToLineEnd || overlong || length == 0) {
            return;
        }
        partial.write(bytes, from, length);
        if (partial.size() > AccessLogParser.MAX_LINE_CHARS * 4) {
            partial.reset();
            overlong = true;
        }
    }

    private void endOfLine() {
        if (skipToLineEnd) {
            skipToLineEnd = false;
            return;
        }
        if (overlong) {
            overlong = false;
            countMalformed("a line longer than " + AccessLogParser.MAX_LINE_CHARS + " characters");
            return;
        }
        String line = partial.toString(StandardCharsets.UTF_8).strip();
        partial.reset();
        if (line.isEmpty()) {
            return;
        }
        AccessLogParser.parse(line).ifPresentOrElse(this::deliver, () -> countMalformed(line));
    }

    private void deliver(AccessRecord record) {
        lines.incrementAndGet();
        try {
            sink.accept(record);
        } catch (RuntimeException e) {
            LOG.warn("the access log's sink failed on a record of app '{}'", record.app(), e);
        }
    }

    private void countMalformed(String what) {
        malformed.incrementAndGet();
        if (malformedCounter != null) {
            malformedCounter.increment();
        }
        LOG.debug("skipped a malformed access log line: {}", what);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing the access log {}: {}", file, e.toString());
            }
            channel = null;
        }
    }
}
