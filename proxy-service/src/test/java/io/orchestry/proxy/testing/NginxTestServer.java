package io.orchestry.proxy.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx for tests, run as a child: {@code nginx -p <prefix> -e <prefix>/logs/error.log -c <conf> -g 'daemon
 * off;'}, so the child is the master. Stop it with {@link #close()} (try-with-resources or {@code @AfterAll}); only the
 * processes it started are ended, by pid.
 *
 * <p>The prefix made by {@link #newPrefix(String)} is readable and traversable by everyone (0755), because nginx started
 * by root runs its workers as {@code nobody}, and they must read the Lua module and write the temp folders there; the
 * configuration keeps nginx's default {@code user} rather than running workers as root.
 *
 * <p>{@link #requireNginx()} / {@link #requireLua()} skip a test when nginx (or its Lua module) is absent, and fail it
 * instead when the environment variable {@code CI} is {@code true}.
 */
public final class NginxTestServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/nginx");
    public static final Path MODULES = Path.of("/usr/lib/nginx/modules");
    private static final Duration START_DEADLINE = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Path prefix;
    private final Path conf;

    private NginxTestServer(Process process, Path prefix, Path conf) {
        this.process = process;
        this.prefix = prefix;
        this.conf = conf;
    }

    /** Skips the calling test when there is no nginx (fails it when CI=true). */
    public static void requireNginx() {
        require(Files.isExecutable(BINARY), "nginx is not installed at " + BINARY);
    }

    /** Skips the calling test when nginx or its Lua module is missing (fails it when CI=true). */
    public static void requireLua() {
        requireNginx();
        require(hasLua(), "nginx's Lua module is not installed (libnginx-mod-http-lua, lua-resty-core) in " + MODULES);
    }

    public static boolean hasLua() {
        return Files.isRegularFile(MODULES.resolve("ndk_http_module.so"))
                && Files.isRegularFile(MODULES.resolve("ngx_http_lua_module.so"));
    }

    private static void require(boolean present, String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.assertTrue(present, message + " (CI=true: this test must run)");
        }
        Assumptions.assumeTrue(present, message + ": test skipped");
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new prefix folder (with {@code logs/}) that nginx's workers can read; the caller deletes it. */
    public static Path newPrefix(String name) {
        try {
            Path prefix = Files.createTempDirectory(name);
            Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(prefix.resolve("logs"));
            return prefix;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code nginx -t} of a configuration: whether it passed, and what nginx said. */
    public static Result test(Path prefix, Path conf) {
        try {
            Process p = new ProcessBuilder(command(prefix, conf, "-t")).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, output + "\n(nginx -t did not finish)");
            }
            return new Result(p.exitValue() == 0, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts nginx with that configuration and waits until every one of {@code ports} on 127.0.0.1 accepts connections
     * and the master has its workers. Fails (after stopping what it started) when nginx exits or is not ready in time.
     */
    public static NginxTestServer start(Path prefix, Path conf, int... ports) {
        Process process;
        try {
            process = new ProcessBuilder(command(prefix, conf, "-g", "daemon off;"))
                    .redirectErrorStream(true)
                    .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NginxTestServer server = new NginxTestServer(process, prefix, conf);
        try {
            server.awaitReady(ports);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private static List<String> command(Path prefix, Path conf, String... more) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-p", prefix + "/",
                "-e", prefix.resolve("logs/error.log").toString(), "-c", conf.toString()));
        command.addAll(List.of(more));
        return command;
    }

    private void awaitReady(int... ports) {
        Instant deadline = Instant.now().plus(START_DEADLINE);
        for (int port : ports) {
            while (!accepts(port)) {
                check(deadline, "port " + port);
            }
        }
        while (workerPids().isEmpty()) {
            check(deadline, "its workers");
        }
    }

    private void check(Instant deadline, String what) {
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx exited (" + process.exitValue() + ") before " + what + ": " + logs());
        }
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("nginx did not get ready (" + what + ") in " + START_DEADLINE + ": " + logs());
        }
        pause(Duration.ofMillis(20));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public long masterPid() {
        return process.pid();
    }

    public Path prefix() {
        return prefix;
    }

    public Path conf() {
        return conf;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The master's children now (its workers, and old workers still finishing after a reload). */
    public Set<Long> workerPids() {
        return children(process.pid());
    }

    public static Set<Long> children(long pid) {
        Set<Long> pids = new TreeSet<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                String text = Files.readString(task.resolve("children")).trim();
                if (!text.isEmpty()) {
                    for (String child : text.split("\\s+")) {
                        pids.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return pids; // the master is gone
        }
        return pids;
    }

    /** SIGHUP to the master: it reads its configuration again and starts a new generation of workers. */
    public void reload() {
        signal("HUP", process.pid());
    }

    /** The error log and nginx's own output so far, for failure messages. */
    public String logs() {
        return read(prefix.resolve("logs/error.log")) + read(prefix.resolve("logs/stdout.log"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** SIGTERM (nginx's fast shutdown: the master ends its workers); after a grace, SIGKILL to the master and workers. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        Set<Long> workers = workerPids();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                for (long worker : workers) {
                    ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
                }
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(boolean ok, String output) {
    }
}
