package io.orchestry.provisioner.runtime.docker;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker command line, for what a test checks or makes beside the driver (foreign containers, bare
 * {@code docker run}s, leftovers). Tests that need an engine or an image skip when there is none, and fail instead
 * when {@code CI=true}.
 */
public final class DockerCli {
    public static final String DEMO_IMAGE = "orchestry/demo-app:dev";

    private DockerCli() {
    }

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
        } catch (IOException noCli) {
            return new Result(-1, "no docker command: " + noCli.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Skips the test class (or fails it under CI=true) unless an engine answers and the demo image is there. */
    static void requireEngineAndDemoImage() {
        requireEngineAndImage(DEMO_IMAGE, "deploy/images/build");
    }

    /** Skips the test class (or fails it under CI=true) unless an engine answers and the image is there. */
    public static void requireEngineAndImage(String image, String buildCommand) {
        Result info = run("info", "--format", "{{.ServerVersion}}");
        require(info.ok(), "no Docker Engine answers (docker info: " + info.output() + ")");
        Result inspected = run("image", "inspect", "--format", "{{.Id}}", image);
        require(inspected.ok(), "image " + image + " is missing: build it with " + buildCommand);
    }

    private static void require(boolean condition, String message) {
        if (condition) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: failing instead of skipping)");
        }
        Assumptions.assumeTrue(false, message + ": skipped");
    }

    /** Removes every container (running or not) that carries the label, e.g. {@code orchestry.project=contract}. */
    static void removeLabelled(String label) {
        Result ids = run("ps", "-aq", "--filter", "label=" + label);
        if (ids.ok() && !ids.output().isBlank()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.output().split("\\s+")));
            run(args.toArray(String[]::new));
        }
    }
}
