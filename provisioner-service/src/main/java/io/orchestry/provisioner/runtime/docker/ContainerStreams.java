package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Statistics;
import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.LogQuery;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadUsage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** The engine's streaming APIs for one container: a one-shot stats sample, exec with a timeout, logs. */
final class ContainerStreams {
    /** What exec keeps of a command's output. */
    static final int EXEC_OUTPUT_LIMIT = 64 * 1024;
    /** How long a log read without follow may take. */
    static final Duration LOG_READ_TIMEOUT = Duration.ofSeconds(10);

    private final DockerEngine engine;
    private final Clock clock;

    ContainerStreams(DockerEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /** One sample ({@code stream=false}: the engine takes two readings about a second apart and answers once). */
    Optional<WorkloadUsage> stats(String containerId) {
        AtomicReference<Statistics> sample = new AtomicReference<>();
        ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics statistics) {
                sample.compareAndSet(null, statistics);
            }
        };
        try {
            engine.call(() -> engine.calls().statsCmd(containerId).withNoStream(true).exec(callback));
            if (!callback.awaitCompletion(DockerEngine.READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw engine.unavailable(new IOException("no stats within " + DockerEngine.READ_TIMEOUT));
            }
        } catch (NotFoundException gone) {
            return Optional.empty();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException failed) {
            throw engine.translate(failed);
        } finally {
            closeQuietly(callback);
        }
        return Optional.ofNullable(sample.get()).map(statistics -> UsageSamples.of(statistics, clock.instant()));
    }

    ExecResult exec(String containerId, List<String> command, Duration timeout) {
        String execId = engine.quick(() -> engine.calls().execCreateCmd(containerId)
                .withCmd(command.toArray(String[]::new))
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()).getId();
        StringBuilder output = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (output) {
                    if (output.length() < EXEC_OUTPUT_LIMIT) {
                        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                        output.append(text, 0, Math.min(text.length(), EXEC_OUTPUT_LIMIT - output.length()));
                    }
                }
            }
        };
        try {
            engine.call(() -> engine.streams().execStartCmd(execId).exec(callback));
            boolean finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTimedOut(execId);
                return new ExecResult(-1, true, text(output));
            }
            InspectExecResponse ended = engine.quick(() -> engine.calls().inspectExecCmd(execId).exec());
            Long exitCode = ended.getExitCodeLong();
            return new ExecResult(exitCode == null ? -1 : exitCode.intValue(), false, text(output));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            killTimedOut(execId);
            return new ExecResult(-1, true, text(output));
        } catch (RuntimeException failed) {
            throw engine.translate(failed);
        } finally {
            closeQuietly(callback);
        }
    }

    /**
     * The engine has no call to end an exec: on a local engine its process (a host pid the inspect names) is killed;
     * on a remote one it is left to end by itself, and only the caller stops waiting.
     */
    private void killTimedOut(String execId) {
        if (!engine.local()) {
            return;
        }
        try {
            InspectExecResponse running = engine.calls().inspectExecCmd(execId).exec();
            if (Boolean.TRUE.equals(running.isRunning()) && running.getPidLong() != null && running.getPidLong() > 0) {
                ProcessHandle.of(running.getPidLong()).ifPresent(process -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                });
            }
        } catch (RuntimeException ignored) {
            // it ended meanwhile, or the engine went: nothing left to kill that we can reach
        }
    }

    /**
     * Reads the log: without follow, every line is handed to the sink before this returns; with follow, lines keep
     * coming on the engine client's thread until the handle is closed or the container's log ends.
     */
    AutoCloseable logs(WorkloadId id, String containerId, LogQuery query, Consumer<LogEntry> sink) {
        LogContainerCmd command = (query.follow() ? engine.streams() : engine.calls()).logContainerCmd(containerId)
                .withStdOut(true)
                .withStdErr(true)
                .withTimestamps(true)
                .withFollowStream(query.follow());
        if (query.tailLines() >= 0) {
            command.withTail(query.tailLines());
        } else {
            command.withTailAll();
        }
        if (query.since() != null) {
            // the engine counts in whole seconds; lines earlier in that second are dropped below
            command.withSince((int) query.since().getEpochSecond());
        }
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                LogFrames.parse(id, frame.getStreamType(), frame.getPayload(), clock.instant())
                        .filter(entry -> query.since() == null || !entry.time().isBefore(query.since()))
                        .ifPresent(sink);
            }
        };
        try {
            engine.call(() -> command.exec(callback));
            if (!query.follow() && !callback.awaitCompletion(LOG_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(callback);
                throw engine.unavailable(new IOException("the log of " + id + " did not arrive within "
                        + LOG_READ_TIMEOUT));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            closeQuietly(callback);
        } catch (RuntimeException failed) {
            closeQuietly(callback);
            throw engine.translate(failed);
        }
        return callback::close;
    }

    private static String text(StringBuilder output) {
        synchronized (output) {
            return output.toString();
        }
    }

    private static void closeQuietly(ResultCallback<?> callback) {
        try {
            callback.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
