package io.orchestry.provisioner.runtime.process;

import io.orchestry.process.GracefulStop;
import io.orchestry.provisioner.runtime.ExecResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run beside a workload, with its environment and working directory; killed (with what it started) at the
 * timeout. Public for the process database driver (initdb, pg_ctl, single-user sessions) and the backup tools.
 */
public final class Exec {
    private static final int MAX_OUTPUT = 64 * 1024;

    private Exec() {
    }

    public static ExecResult run(List<String> command, Path workingDir, Map<String, String> env, Duration timeout) {
        return run(command, workingDir, env, timeout, Path.of("/dev/null"));
    }

    /** The same with its standard input read from a file (opened by this JVM: the command needs no access to it). */
    public static ExecResult run(List<String> command, Path workingDir, Map<String, String> env, Duration timeout,
                                 Path input) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(input.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ExecResult(127, false, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> read(process.getInputStream(), output), "exec-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                GracefulStop.stop(process.toHandle(), Duration.ZERO);
            }
            reader.join(2000);
            synchronized (output) {
                String text = output.toString(StandardCharsets.UTF_8);
                return ended ? new ExecResult(process.exitValue(), false, text) : new ExecResult(-1, true, text);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new ExecResult(-1, true, "interrupted");
        }
    }

    private static void read(InputStream in, ByteArrayOutputStream into) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (into) {
                    if (into.size() < MAX_OUTPUT) {
                        into.write(buffer, 0, Math.min(n, MAX_OUTPUT - into.size()));
                    }
                }
            }
        } catch (IOException closed) {
            // the command ended
        }
    }
}
