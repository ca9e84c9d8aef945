package io.orchestry.launcher;

import io.orchestry.process.GracefulStop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One service running as a child JVM, from the classes and the runtime class path that its
 * module's build left in {@code target/}. Its output goes line by line to a consumer; the last
 * lines are kept to explain a failed start. {@link #close()} stops it (SIGTERM, then SIGKILL after
 * a grace period) together with anything it started; if this process dies first, the service
 * stops itself ({@link ChildMain}).
 */
public final class ServiceProcess implements Supervised {
    private static final int KEPT_LINES = 60;
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final ServiceKind kind;
    private final Process process;
    private final int httpPort;
    private final int grpcPort;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread pump;

    private ServiceProcess(ServiceKind kind, Process process, int httpPort, int grpcPort, Consumer<String> output) {
        this.kind = kind;
        this.process = process;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.pump = new Thread(() -> pump(output), kind.shortName() + "-output");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Starts a service.
     *
     * @param root       the repository root (the folder with the modules)
     * @param env        environment for the child, on top of this process's own
     * @param jvmOptions options for the child JVM (heap, GC, ...)
     * @param output     receives each line the service prints
     */
    public static ServiceProcess start(ServiceKind kind, Path root, int portOffset, Map<String, String> env,
                                       List<String> jvmOptions, Consumer<String> output) {
        Path moduleDir = root.resolve(kind.module());
        String classPath = classPath(moduleDir);
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath + java.io.File.pathSeparator + ownLocation());
        command.add(ChildMain.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(kind.mainClass());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(kind.httpPort(portOffset)));
        if (kind.grpcPort(portOffset) > 0) {
            builder.environment().put("GRPC_SERVER_PORT", Integer.toString(kind.grpcPort(portOffset)));
        }
        try {
            return new ServiceProcess(kind, builder.start(), kind.httpPort(portOffset), kind.grpcPort(portOffset), output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + kind.module(), e);
        }
    }

    /** The module's compiled classes and its runtime class path, as its build wrote them. */
    static String classPath(Path moduleDir) {
        Path classes = moduleDir.resolve("target/classes");
        Path classPathFile = moduleDir.resolve("target/runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classPathFile)) {
            throw new IllegalStateException(moduleDir.getFileName() + " is not built: run ./mvnw -DskipTests package first"
                    + " (looked for " + classes + " and " + classPathFile + ")");
        }
        try {
            String dependencies = Files.readString(classPathFile, StandardCharsets.UTF_8).trim();
            return classes + (dependencies.isEmpty() ? "" : java.io.File.pathSeparator + dependencies);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where this module's classes are (a jar or a folder), so the child can run {@link ChildMain}. */
    private static String ownLocation() {
        try {
            return Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Waits until the service's {@code /health/readiness} answers 200 (its database answers and
     * its servers listen). Fails early, with the service's last lines, if the process exits.
     */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        URI readiness = URI.create("http://127.0.0.1:" + httpPort + "/health/readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind.module() + " exited with " + process.exitValue()
                        + " while starting; its last lines:\n" + lastLines());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + kind.module(), e);
            }
            sleep(50);
        }
        throw new IllegalStateException(kind.module() + " was not ready after " + timeout + "; its last lines:\n" + lastLines());
    }

    public ServiceKind kind() {
        return kind;
    }

    public long pid() {
        return process.pid();
    }


    public int httpPort() {
        return httpPort;
    }

    /** The gRPC port, or -1 for the gateway. */
    public int grpcPort() {
        return grpcPort;
    }

    /** Resident memory in kilobytes, from /proc (0 where /proc is not there). */
    public long residentKilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Completes when the process has exited. */
    @Override
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Stops the service gracefully, then forcibly after the grace period, with everything it started. */
    @Override
    public void close() {
        GracefulStop.stop(process.toHandle(), GRACE);
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(Consumer<String> output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                output.accept(line);
            }
        } catch (IOException closed) {
            // the process is gone
        }
    }

    private String lastLines() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
