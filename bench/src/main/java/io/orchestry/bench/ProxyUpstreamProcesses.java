package io.orchestry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo app's processes the proxy benchmark routes to: {@code java -jar demo-app/target/demo-app.jar}, each with
 * {@code PORT=0} (it picks a free port and prints it), TCP_NODELAY on (see {@link #launch}), {@code ORCHESTRY_INSTANCE=<id>} (its {@code /} answers it)
 * and {@code ORCHESTRY_APP}. Ready once its line "listening on 127.0.0.1:PORT" came and {@code /health} answers 200.
 * {@link #close()} (and a shutdown hook) stops each by its PID: SIGTERM, SIGKILL after 5 s.
 */
final class ProxyUpstreamProcesses implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+) pid (\\d+)");

    /** One demo app process. */
    record Upstream(String instance, int port, long pid) {
    }

    private final List<Process> processes = new ArrayList<>();
    private final List<Upstream> upstreams = new ArrayList<>();
    private boolean closed;

    private ProxyUpstreamProcesses() {
    }

    static ProxyUpstreamProcesses start(Path jar, String app, String project, List<String> instances) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built: bench/run builds it (./mvnw -pl demo-app package)");
        }
        ProxyUpstreamProcesses started = new ProxyUpstreamProcesses();
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "bench-demo-apps-stop"));
        try {
            List<CompletableFuture<Upstream>> ready = new ArrayList<>();
            for (String instance : instances) {
                ready.add(started.launch(jar, app, project, instance));
            }
            for (CompletableFuture<Upstream> upstream : ready) {
                started.upstreams.add(upstream.get(60, TimeUnit.SECONDS));
            }
            for (Upstream upstream : started.upstreams) {
                awaitHealthy(upstream);
            }
        } catch (Exception failed) {
            started.close();
            throw new IllegalStateException("the demo app did not start: " + failed, failed);
        }
        return started;
    }

    List<Upstream> upstreams() {
        return List.copyOf(upstreams);
    }

    private synchronized CompletableFuture<Upstream> launch(Path jar, String app, String project, String instance) throws IOException {
        // sun.net.httpserver.nodelay: the JDK's HttpServer writes headers and body apart, and without TCP_NODELAY
        // every response on a keep-alive connection waits for the client's delayed ACK (~40 ms): 350 req/s at most
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-XX:+UseSerialGC", "-Xmx128m",
                "-Dsun.net.httpserver.nodelay=true", "-jar", jar.toString())
                // one line per request on stdout: not read, so that it costs the app as little as it can
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", "0");
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("ORCHESTRY_INSTANCE", instance);
        builder.environment().put("ORCHESTRY_APP", app);
        builder.environment().put("ORCHESTRY_PROJECT", project);
        Process process = builder.start();
        processes.add(process);
        CompletableFuture<Upstream> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (!ready.isDone() && m.find()) {
                        ready.complete(new Upstream(instance, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
                    }
                }
            } catch (IOException gone) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException(instance + " ended before it listened"));
        }, "demo-" + instance);
        reader.setDaemon(true);
        reader.start();
        return ready;
    }

    private static void awaitHealthy(Upstream upstream) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (ProxyHttpConnection connection = new ProxyHttpConnection(upstream.port(), Duration.ofSeconds(2))) {
            while (true) {
                try {
                    if (connection.get("127.0.0.1", "/health").status() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(upstream.instance() + " did not answer /health with 200");
                }
                Thread.sleep(20);
            }
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Stops every demo app this started, by its PID. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Fails fast when a demo app died (the figures would be about failed connections). */
    void checkAlive() {
        for (Process process : processes) {
            if (!process.isAlive()) {
                throw new UncheckedIOException(new IOException("demo app pid " + process.pid() + " exited with " + process.exitValue()));
            }
        }
    }
}
