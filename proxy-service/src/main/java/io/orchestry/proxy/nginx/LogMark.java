package io.orchestry.proxy.nginx;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where some log files ended at one moment, so that what nginx wrote after it (a reload's errors) can be read. */
final class LogMark {
    private static final int MAX_READ = 64 * 1024;
    private final Map<Path, Long> sizes = new LinkedHashMap<>();

    private LogMark() {
    }

    static LogMark of(List<Path> files) {
        LogMark mark = new LogMark();
        for (Path file : files) {
            mark.sizes.put(file, size(file));
        }
        return mark;
    }

    /** Lines written since the mark that contain {@code level}, e.g. {@code [emerg]}. */
    List<String> linesSince(String level) {
        List<String> lines = new ArrayList<>();
        for (String line : allSince()) {
            if (line.contains(level)) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Every line written since the mark (at most the first 64 KiB of each file's new part). */
    List<String> allSince() {
        List<String> lines = new ArrayList<>();
        sizes.forEach((file, from) -> {
            long size = size(file);
            long start = size < from ? 0 : from; // truncated or rotated: read it from the top
            if (size <= start) {
                return;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                in.seek(start);
                byte[] bytes = new byte[(int) Math.min(MAX_READ, size - start)];
                in.readFully(bytes);
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(line.strip());
                    }
                }
            } catch (IOException e) {
                // gone between size and read: nothing new to report from it
            }
        });
        return lines;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
