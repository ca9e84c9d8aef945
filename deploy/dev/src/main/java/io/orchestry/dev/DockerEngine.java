package io.orchestry.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a Docker Engine answers on this machine, and how many CPUs and how much memory it has:
 * the engine's {@code GET /info} on its unix socket, else {@code docker info}; each gets 3 s.
 */
final class DockerEngine {
    static final String SOCKET = "/var/run/docker.sock";
    static final String ENDPOINT = "unix://" + SOCKET;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern NCPU = Pattern.compile("\"NCPU\"\\s*:\\s*(\\d+)");
    private static final Pattern MEM_TOTAL = Pattern.compile("\"MemTotal\"\\s*:\\s*(\\d+)");

    /** What the engine says about its machine. */
    record Info(int cpus, long memoryBytes) {
    }

    private DockerEngine() {
    }

    /** The engine's info, or empty when no engine answers within the timeout. */
    static Optional<Info> probe() {
        Optional<Info> fromSocket = fromSocket(Path.of(SOCKET));
        return fromSocket.isPresent() ? fromSocket : fromCli();
    }

    static Optional<Info> fromSocket(Path socket) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        // closing the channel is what ends a read that hangs
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> get(channel, socket, "/info"));
            return parse(answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (IOException | TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String get(SocketChannel channel, Path socket, String path) {
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            while (channel.read(buffer) >= 0 && body.size() < 4 * 1024 * 1024) {
                buffer.flip();
                body.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            String response = body.toString(StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.") || !response.substring(0, Math.min(response.length(), 16)).contains(" 200")) {
                throw new IllegalStateException("the engine answered " + response.lines().findFirst().orElse("nothing"));
            }
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Optional<Info> fromCli() {
        Process docker = null;
        try {
            docker = new ProcessBuilder("docker", "info", "--format", "{\"NCPU\":{{.NCPU}},\"MemTotal\":{{.MemTotal}}}")
                    .redirectErrorStream(true).start();
            docker.getOutputStream().close();
            CompletableFuture<String> output = readAll(docker);
            if (!docker.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || docker.exitValue() != 0) {
                return Optional.empty();
            }
            return parse(output.get(1, TimeUnit.SECONDS));
        } catch (IOException | ExecutionException | TimeoutException e) {
            return Optional.empty(); // no docker command, or it did not answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (docker != null && docker.isAlive()) {
                docker.destroyForcibly();
            }
        }
    }

    private static CompletableFuture<String> readAll(Process process) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    static Optional<Info> parse(String text) {
        Matcher cpus = NCPU.matcher(text);
        Matcher memory = MEM_TOTAL.matcher(text);
        if (!cpus.find() || !memory.find()) {
            return Optional.empty();
        }
        int ncpu = Integer.parseInt(cpus.group(1));
        long mem = Long.parseLong(memory.group(1));
        return ncpu > 0 && mem > 0 ? Optional.of(new Info(ncpu, mem)) : Optional.empty();
    }
}
