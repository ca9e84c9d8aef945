package io.orchestry.proxy.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One short command (nginx -v, nginx -t, kill -HUP): its exit code and its output (stdout and stderr together). */
record CommandRun(int exitCode, String output) {
    static final int TIMED_OUT = -1;

    boolean ok() {
        return exitCode == 0;
    }

    static CommandRun of(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NginxException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            byte[] bytes = out.readNBytes(1 << 20); // ends at EOF, when the command exits (or closes its output)
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new CommandRun(TIMED_OUT, "timed out after " + timeout.toMillis() + " ms: "
                        + new String(bytes, StandardCharsets.UTF_8).strip());
            }
            return new CommandRun(process.exitValue(), new String(bytes, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            process.destroyForcibly();
            throw new NginxException("cannot read the output of " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NginxException("interrupted while running " + command.get(0), e);
        }
    }
}
