package io.orchestry.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop throughput of {@code GET /} with a Host header against one port of 127.0.0.1: {@code wrk -t2 -c16
 * -d<seconds>s} when wrk is on PATH, else {@value #CONNECTIONS} threads each on its own keep-alive
 * {@link ProxyHttpConnection}. A run counts non-2xx answers and socket errors as errors.
 */
final class ProxyThroughput {
    static final int CONNECTIONS = 16;
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** One run: requests per second and errors. */
    record Result(double perSecond, long errors) {
    }

    private final Optional<Path> wrk;
    private final int seconds;

    ProxyThroughput(int seconds) {
        this.wrk = onPath("wrk");
        this.seconds = seconds;
    }

    String tool() {
        return wrk.map(w -> "wrk -t2 -c" + CONNECTIONS + " -d" + seconds + "s (" + w + ")")
                .orElse(CONNECTIONS + " JDK threads on keep-alive sockets for " + seconds + " s (wrk is not on PATH)");
    }

    Result run(int port, String host) throws IOException, InterruptedException {
        return wrk.isPresent() ? wrk(wrk.get(), port, host) : javaLoop(port, host);
    }

    private Result wrk(Path binary, int port, String host) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "-t2", "-c" + CONNECTIONS, "-d" + seconds + "s",
                "-H", "Host: " + host, "http://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
        try {
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new IOException("wrk did not finish");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher rate = RATE.matcher(out);
            if (process.exitValue() != 0 || !rate.find()) {
                throw new IOException("wrk failed (" + process.exitValue() + "): " + out);
            }
            long errors = 0;
            Matcher non2xx = NON_2XX.matcher(out);
            if (non2xx.find()) {
                errors += Long.parseLong(non2xx.group(1));
            }
            Matcher socket = SOCKET_ERRORS.matcher(out);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(socket.group(g));
                }
            }
            return new Result(Double.parseDouble(rate.group(1)), errors);
        } finally {
            process.destroyForcibly();
        }
    }

    private Result javaLoop(int port, String host) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < CONNECTIONS; t++) {
            Thread thread = new Thread(() -> {
                try (ProxyHttpConnection connection = new ProxyHttpConnection(port, Duration.ofSeconds(5))) {
                    while (System.nanoTime() < end) {
                        try {
                            if (connection.get(host, "/").ok()) {
                                done.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }, "bench-throughput-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(done.get() / ((System.nanoTime() - start) / 1e9), errors.get());
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String describe(String label, Result r) {
        return String.format(Locale.ROOT, "%s %.0f req/s (errors %d)", label, r.perSecond(), r.errors());
    }
}
