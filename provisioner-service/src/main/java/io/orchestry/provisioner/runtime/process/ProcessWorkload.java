package io.orchestry.provisioner.runtime.process;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.process.GracefulStop;
import io.orchestry.process.ProcStat;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;
import io.orchestry.provisioner.runtime.WorkloadUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One workload's process, launched by this driver (a child: its exit code is known) or adopted after a provisioner
 * restart (recorded pid and start time matched: exit code unknown), like Nomad's rawexec task handle. Its state file is
 * rewritten when it exits.
 */
final class ProcessWorkload {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessWorkload.class);
    /** USER_HZ: /proc reports CPU in these ticks; 100 on every Linux the JDK runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private final Path dir;
    private final LogFiles logs;
    private final Clock clock;
    @Nullable
    private final Process child;
    @Nullable
    private final ProcessHandle handle;
    private volatile ProcessState state;
    private long lastTicks;
    private Instant lastSampleAt;

    private ProcessWorkload(Path dir, ProcessState state, LogFiles logs, Clock clock, @Nullable Process child,
                            @Nullable ProcessHandle handle) {
        this.dir = dir;
        this.state = state;
        this.logs = logs;
        this.clock = clock;
        this.child = child;
        this.handle = handle;
        this.lastSampleAt = state.startedAt();
    }

    static ProcessWorkload launched(Path dir, ProcessState state, Process child, LogFiles logs, Clock clock) {
        ProcessWorkload workload = new ProcessWorkload(dir, state, logs, clock, child, child.toHandle());
        child.onExit().thenRun(() -> workload.exited(child.exitValue(), ""));
        return workload;
    }

    /** Re-attaches to a recorded workload: adopted when its pid runs with the recorded start time, else exited. */
    static ProcessWorkload recovered(Path dir, ProcessState state, LogFiles logs, Clock clock) {
        if (state.finished()) {
            return new ProcessWorkload(dir, state, logs, clock, null, null);
        }
        Optional<ProcStat> stat = ProcStat.read(state.pid());
        Optional<ProcessHandle> live = ProcessHandle.of(state.pid());
        if (stat.isPresent() && stat.get().alive() && stat.get().startTime() == state.startTicks() && live.isPresent()) {
            ProcessWorkload adopted = new ProcessWorkload(dir, state, logs, clock, null, live.get());
            live.get().onExit().thenRun(() -> adopted.exited(null,
                    "exited while adopted after a provisioner restart (not its child): exit code unknown"));
            return adopted;
        }
        ProcessWorkload gone = new ProcessWorkload(dir, state, logs, clock, null, null);
        gone.exited(null, stat.isPresent() && stat.get().alive()
                ? "pid " + state.pid() + " now belongs to another process (start time differs): the workload ended, exit code unknown"
                : "ended while no provisioner watched it: exit code unknown");
        return gone;
    }

    WorkloadId id() {
        return new WorkloadId(state.id());
    }

    ProcessState state() {
        return state;
    }

    LogFiles logs() {
        return logs;
    }

    Path dir() {
        return dir;
    }

    boolean running() {
        return !state.finished() && handle != null && handle.isAlive();
    }

    OwnerLabels owner() {
        return OwnerLabels.from(state.labels()).orElseThrow();
    }

    WorkloadHandle handle() {
        return new WorkloadHandle(id(), state.pid() + ":" + state.startTicks(), state.host(), state.ports(), state.startedAt());
    }

    WorkloadStatus status() {
        if (!state.finished() && child != null && !child.isAlive()) {
            exited(child.exitValue(), ""); // before the onExit callback ran
        }
        ProcessState s = state;
        WorkloadState observed = s.finished() || !running() ? WorkloadState.EXITED : WorkloadState.RUNNING;
        return new WorkloadStatus(handle(), owner(), observed, s.exitCode(), s.error(), s.finishedAt());
    }

    /** SIGTERM to its process group, SIGKILL after the grace; returns once it ended and its exit is recorded. */
    void stop(Duration grace) {
        if (handle == null || !handle.isAlive()) {
            return;
        }
        boolean graceful = GracefulStop.stop(handle, grace);
        if (child != null) {
            try {
                child.waitFor(10, TimeUnit.SECONDS);
                exited(child.exitValue(), graceful ? "" : "killed after the " + grace + " grace");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalThreadStateException stillRunning) {
                LOG.warn("{} still runs after SIGKILL", state.id());
            }
        } else {
            exited(null, "stopped by the provisioner (adopted, not its child): exit code unknown");
        }
    }

    private synchronized void exited(@Nullable Integer code, String why) {
        if (state.finished()) {
            return;
        }
        state = state.exited(code, clock.instant(), why);
        try {
            if (Files.isDirectory(dir)) {
                StateFile.write(dir, state);
            }
        } catch (IOException e) {
            LOG.warn("cannot record the exit of {} in {}: {}", state.id(), dir, e.toString());
        }
    }

    /**
     * CPU (user + system ticks of it and its descendants, since the previous sample, over the time between) and resident
     * memory (VmRSS of it and its descendants).
     */
    synchronized Optional<WorkloadUsage> sample() {
        if (!running() || handle == null) {
            return Optional.empty();
        }
        long ticks = 0;
        long rss = 0;
        for (ProcessHandle p : (Iterable<ProcessHandle>) Stream.concat(Stream.of(handle), handle.descendants())::iterator) {
            Optional<ProcStat> stat = ProcStat.read(p.pid());
            if (stat.isPresent()) {
                ticks += stat.get().utime() + stat.get().stime();
                rss += ProcStatus.residentBytes(p.pid());
            }
        }
        Instant now = clock.instant();
        long wallMillis = Math.max(1, Duration.between(lastSampleAt, now).toMillis());
        long cpuMillis = Math.max(0, (ticks - lastTicks) * 1000 / TICKS_PER_SECOND) * 1000 / wallMillis;
        lastTicks = ticks;
        lastSampleAt = now;
        return Optional.of(new WorkloadUsage(cpuMillis, rss, now));
    }
}
