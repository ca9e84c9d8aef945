package io.orchestry.provisioner.runtime;

import java.time.Instant;

/** One line a workload wrote, without its newline. */
public record LogEntry(WorkloadId id, Stream stream, Instant time, String text) {
    public enum Stream { STDOUT, STDERR }
}
