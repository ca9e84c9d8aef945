package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.UnavailableException;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The connections to one Docker Engine: {@link #calls()} with short timeouts (connect 2 s, read 10 s) for every request
 * that answers at once, so that an engine that stops answering never hangs a caller, and {@link #streams()} with no read
 * timeout for what lasts as long as the caller asks (stop with a grace, followed logs, exec, pulls). Translates what
 * goes wrong into the error model: a connection failure is {@link UnavailableException}, an engine answer that is not
 * handled by the caller a {@link FailedPreconditionException} with the engine's message.
 *
 * <p>The read timeout is not enough on its own: over a unix socket docker-java's transport never times a read out, so a
 * request to an engine that stopped answering (SIGSTOP, a hung daemon) waited for ever. {@link #quick} runs a request
 * on a thread of its own and gives up on it after the read timeout; at most {@link #MAX_WAITING} such threads wait for
 * one engine, past that a request fails at once. Either way the caller gets {@link UnavailableException}.
 *
 * <p>Public for the docker database driver ({@code runtime.database.docker}), which reaches the same engines.
 */
public final class DockerEngine implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** Requests in flight to one engine (as many as its connections), counting those given up on that still wait. */
    static final int MAX_WAITING = 64;

    private final String endpoint;
    private final String node;
    private final DockerClient calls;
    private final DockerClient streams;
    private final Duration readTimeout;
    private final ThreadPoolExecutor requests;

    private DockerEngine(String endpoint, String node, DockerClient calls, DockerClient streams, Duration readTimeout) {
        this.endpoint = endpoint;
        this.node = node;
        this.calls = calls;
        this.streams = streams;
        this.readTimeout = readTimeout;
        AtomicInteger threads = new AtomicInteger();
        this.requests = new ThreadPoolExecutor(0, MAX_WAITING, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "docker-" + node + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens no connection yet: the first request does. */
    public static DockerEngine open(String endpoint, String node) {
        return open(endpoint, node, READ_TIMEOUT);
    }

    static DockerEngine open(String endpoint, String node, Duration readTimeout) {
        URI host = URI.create(endpoint);
        if (!"unix".equals(host.getScheme()) && !"tcp".equals(host.getScheme())) {
            throw new IllegalArgumentException("a docker endpoint is unix:///path or tcp://host:port, not " + endpoint);
        }
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint)
                .withDockerTlsVerify(false)
                .build();
        return new DockerEngine(endpoint, node, client(config, host, readTimeout), client(config, host, null), readTimeout);
    }

    private static DockerClient client(DefaultDockerClientConfig config, URI host, Duration readTimeout) {
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(host)
                .maxConnections(MAX_WAITING)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (readTimeout != null) {
            http.responseTimeout(readTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    public DockerClient calls() {
        return calls;
    }

    public DockerClient streams() {
        return streams;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The engine is on this machine (a unix socket): its containers' processes are ours to signal. */
    boolean local() {
        return endpoint.startsWith("unix:");
    }

    /** Runs one request; engine answers the caller handles ({@code NotFoundException}, ...) pass through it. */
    public <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (DockerException answered) {
            throw answered;
        } catch (RuntimeException failed) {
            throw translate(failed);
        }
    }

    /**
     * Runs one request that answers at once (with the {@link #calls()} client), waiting at most the read timeout for
     * it whatever the transport does; engine answers the caller handles pass through as with {@link #call}.
     */
    public <T> T quick(Supplier<T> request) {
        Future<T> answer;
        try {
            answer = requests.submit(() -> call(request));
        } catch (RejectedExecutionException busy) {
            throw unavailable(new IOException(MAX_WAITING + " requests to it still wait for an answer"));
        }
        try {
            return answer.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            answer.cancel(true);
            throw unavailable(new IOException("no answer within " + readTimeout));
        } catch (InterruptedException interrupted) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw unavailable(interrupted);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw translate(cause);
        }
    }

    public void quickRun(Runnable request) {
        quick(() -> {
            request.run();
            return null;
        });
    }

    public void run(Runnable request) {
        call(() -> {
            request.run();
            return null;
        });
    }

    /** What a failure means to a caller of the driver. */
    public RuntimeException translate(Throwable failed) {
        if (failed instanceof DockerException answered) {
            return new FailedPreconditionException("the docker engine of node " + node + " refused: "
                    + firstLine(answered.getMessage()));
        }
        if (failed instanceof UnavailableException || failed instanceof FailedPreconditionException) {
            return (RuntimeException) failed;
        }
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return unavailable(failed);
            }
        }
        return failed instanceof RuntimeException runtime ? runtime : new IllegalStateException(failed);
    }

    public UnavailableException unavailable(Throwable cause) {
        return new UnavailableException("docker engine " + endpoint + " of node " + node, RETRY_AFTER, cause);
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        // docker-java prefixes "Status 404: {"message":"..."}"
        int start = trimmed.indexOf("\"message\":\"");
        if (start >= 0) {
            int from = start + "\"message\":\"".length();
            int end = trimmed.indexOf('"', from);
            return end > from ? trimmed.substring(from, end) : trimmed.substring(from);
        }
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }

    @Override
    public void close() {
        requests.shutdownNow();
        closeQuietly(calls);
        closeQuietly(streams);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing to release any more
        }
    }
}
