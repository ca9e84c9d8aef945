package io.orchestry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second Docker Engine on this machine that a benchmark starts and stops itself: its own socket, data root, exec
 * root and pid file in a folder of its own, and its own bridge (published ports reach containers through the
 * engine's userland proxy on 127.0.0.1, so it needs no iptables rules). Images come from the machine's engine by
 * {@code docker save | docker load}. {@link #pause()} sends SIGSTOP: its containers keep running, it answers nothing.
 */
final class SecondEngine implements AutoCloseable {
    private static final String BRIDGE = "orchbench0";
    private static final String BRIDGE_ADDRESS = "172.31.254.1/24";

    private final Path dir;
    private final Process daemon;
    private final boolean ownBridge;
    private boolean closed;

    private SecondEngine(Path dir, Process daemon, boolean ownBridge) {
        this.dir = dir;
        this.daemon = daemon;
        this.ownBridge = ownBridge;
    }

    /** True when the machine's engine answers {@code docker info}. */
    static boolean machineEngineAnswers() {
        return run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), Duration.ofSeconds(15)).ok();
    }

    static SecondEngine start() throws IOException, InterruptedException {
        // short: the engine's containerd socket lives under the exec root and unix socket paths are short
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ob-");
        boolean ownBridge = !run(List.of("ip", "link", "show", BRIDGE), Duration.ofSeconds(5)).ok();
        if (ownBridge) {
            check(run(List.of("ip", "link", "add", BRIDGE, "type", "bridge"), Duration.ofSeconds(5)));
            check(run(List.of("ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE), Duration.ofSeconds(5)));
            check(run(List.of("ip", "link", "set", BRIDGE, "up"), Duration.ofSeconds(5)));
        }
        Process daemon = new ProcessBuilder("dockerd", "--host", "unix://" + dir.resolve("docker.sock"),
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("x").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(), "--bridge", BRIDGE, "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        SecondEngine engine = new SecondEngine(dir, daemon, ownBridge);
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "second-engine-stop"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!engine.docker(Duration.ofSeconds(5), "info", "--format", "{{.ServerVersion}}").ok()) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                engine.close();
                throw new IllegalStateException("the second dockerd did not answer; its log: " + dir.resolve("dockerd.log"));
            }
            Thread.sleep(200);
        }
        return engine;
    }

    String endpoint() {
        return "unix://" + dir.resolve("docker.sock");
    }

    long pid() {
        return daemon.pid();
    }

    /** Copies an image of the machine's engine into this one. */
    void load(String image) {
        check(run(List.of("sh", "-c", "docker save " + image + " | docker -H " + endpoint() + " load -q"), Duration.ofMinutes(5)));
    }

    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        check(run(List.of("kill", "-" + name, Long.toString(daemon.pid())), Duration.ofSeconds(5)));
    }

    /** Ids of the containers (running or not) that carry {@code label} on this engine. */
    List<String> containers(String label) {
        Result r = docker(Duration.ofSeconds(20), "ps", "-aq", "--filter", "label=" + label);
        return r.ok() ? Arrays.stream(r.output().split("\\s+")).filter(s -> !s.isBlank()).toList() : List.of();
    }

    /** Removes (forcibly) every container that carries {@code label} on the machine's engine or this one; how many. */
    int removeAll(String label) {
        int removed = 0;
        for (String host : List.of("unix:///var/run/docker.sock", endpoint())) {
            Result ids = run(List.of("docker", "-H", host, "ps", "-aq", "--filter", "label=" + label), Duration.ofSeconds(20));
            for (String id : ids.output().split("\\s+")) {
                if (!id.isBlank() && run(List.of("docker", "-H", host, "rm", "-f", id), Duration.ofSeconds(30)).ok()) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private Result docker(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", endpoint()));
        command.addAll(List.of(args));
        return run(command, timeout);
    }

    /** SIGCONT (a paused engine cannot stop), SIGTERM and a wait, SIGKILL if it must; then its folder and bridge go. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (daemon.isAlive()) {
            run(List.of("kill", "-CONT", Long.toString(daemon.pid())), Duration.ofSeconds(5));
            daemon.destroy();
            try {
                if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                    daemon.descendants().forEach(ProcessHandle::destroyForcibly);
                    daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a container's mounts may outlive a killed engine: unmount what is left under our folder before deleting it
        run(List.of("sh", "-c", "grep -o ' " + dir + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"), Duration.ofSeconds(20));
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException gone) {
            // deleted already
        }
        if (ownBridge) {
            run(List.of("ip", "link", "delete", BRIDGE), Duration.ofSeconds(5));
        }
    }

    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(List<String> command, Duration timeout) {
        return run(command, Map.of(), timeout);
    }

    /** @param env added to this process's environment (how a password reaches a client tool off its command line) */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process p = builder.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static void check(Result r) {
        if (!r.ok()) {
            throw new IllegalStateException("command failed (" + r.exit() + "): " + r.output());
        }
    }
}
