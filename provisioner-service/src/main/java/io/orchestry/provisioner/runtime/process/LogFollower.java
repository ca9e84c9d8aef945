package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.WorkloadId;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows a workload's two log files from the given positions (where a tail stopped) (tail -F style: a file that shrank was rotated, read it from the
 * start), polling every {@value #POLL_MS} ms, and hands each complete new line to the sink until closed.
 */
final class LogFollower implements AutoCloseable {
    private static final long POLL_MS = 100;

    private final WorkloadId id;
    private final LogFiles files;
    private final Consumer<LogEntry> sink;
    private final Clock clock;
    private final Map<LogEntry.Stream, Long> positions = new EnumMap<>(LogEntry.Stream.class);
    private final Map<LogEntry.Stream, ByteArrayOutputStream> partial = new EnumMap<>(LogEntry.Stream.class);
    private final Thread thread;

    LogFollower(WorkloadId id, LogFiles files, Map<LogEntry.Stream, Long> from, Consumer<LogEntry> sink, Clock clock) {
        this.id = id;
        this.files = files;
        this.sink = sink;
        this.clock = clock;
        for (LogEntry.Stream stream : LogEntry.Stream.values()) {
            positions.put(stream, from.get(stream));
            partial.put(stream, new ByteArrayOutputStream());
        }
        this.thread = new Thread(this::run, "logs-" + id.value());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (LogEntry.Stream stream : LogEntry.Stream.values()) {
                    poll(stream);
                }
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // the file went away (destroy) or the sink failed: try again at the next poll
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }

    private void poll(LogEntry.Stream stream) throws IOException {
        long size = LogFiles.size(files.file(stream));
        long position = positions.get(stream);
        if (size < position) {
            position = 0;
            partial.get(stream).reset();
        }
        if (size == position) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - position, 1 << 20));
        try (FileChannel channel = FileChannel.open(files.file(stream), StandardOpenOption.READ)) {
            channel.read(buffer, position);
        }
        positions.put(stream, position + buffer.position());
        ByteArrayOutputStream line = partial.get(stream);
        for (int i = 0; i < buffer.position(); i++) {
            byte b = buffer.get(i);
            if (b == '\n') {
                sink.accept(new LogEntry(id, stream, clock.instant(), line.toString(StandardCharsets.UTF_8)));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
