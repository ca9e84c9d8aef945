package io.orchestry.provisioner.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code /proc/<pid>/status} and {@code /proc/meminfo}: the few memory figures the driver reports. */
final class ProcStatus {
    private ProcStatus() {
    }

    /** VmRSS in bytes, 0 when the process is gone (or a kernel thread). */
    static long residentBytes(long pid) {
        try {
            return kilobytes(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII),
                    "VmRSS:") * 1024;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** The value in kB of a "Name:   123 kB" line, 0 when absent. */
    static long kilobytes(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                String digits = line.substring(name.length()).replaceAll("[^0-9]", "");
                return digits.isEmpty() ? 0 : Long.parseLong(digits);
            }
        }
        return 0;
    }
}
