package io.orchestry.proxy.balancer;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.UpstreamKey;
import io.orchestry.proxy.render.NginxEscaping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pushes every upstream's endpoints to the Lua balancer's control server ({@code PUT http://127.0.0.1:<port>/upstreams}),
 * the whole set each time, so a lost push is repaired by the next one. Body: one line per upstream,
 * {@code <upstream> <method> <host:port> <host:port>...}; an upstream absent from it has no endpoint (its routes answer
 * 503). Thread-safe; pushes are serialized so an older set never lands after a newer one.
 */
public final class LuaBalancer {
    public static final String CONTROL_HEADER = "X-Orchestry-Control";
    private final URI upstreams;
    private final Duration timeout;
    private final HttpClient client;
    private final String token;

    /**
     * @param controlPort {@code NginxSettings.controlPort()}
     * @param token       {@code NginxSettings.probeToken()}: the control server answers only requests that carry it
     *                    ({@code X-Orchestry-Control}), so another local process cannot rewrite the upstreams
     * @param timeout     for connecting and for each answer
     */
    public LuaBalancer(int controlPort, String token, Duration timeout) {
        this.upstreams = URI.create("http://127.0.0.1:" + NginxEscaping.port("controlPort", controlPort) + "/upstreams");
        this.token = token;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Replaces everything the balancer holds with {@code all}.
     *
     * @param methods each upstream's load balancing; round robin when absent
     * @throws IllegalArgumentException an endpoint or name that may not reach nginx
     * @throws BalancerException        the control server did not answer 2xx, or could not be reached
     */
    public synchronized void push(Map<UpstreamKey, List<Endpoint>> all, Map<UpstreamKey, LoadBalancing> methods) {
        String body = body(all, methods);
        HttpRequest request = HttpRequest.newBuilder(upstreams).timeout(timeout)
                .header("Content-Type", "text/plain").header(CONTROL_HEADER, token)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        send(request, "push");
    }

    /** What the balancer holds now, in the push format (one line per upstream). */
    public String dump() {
        return send(HttpRequest.newBuilder(upstreams).timeout(timeout).header(CONTROL_HEADER, token).GET().build(), "dump");
    }

    /** The push body: upstreams sorted by name, endpoints in their given order. */
    static String body(Map<UpstreamKey, List<Endpoint>> all, Map<UpstreamKey, LoadBalancing> methods) {
        Map<String, String> lines = new TreeMap<>();
        all.forEach((key, endpoints) -> {
            String name = NginxEscaping.upstreamName("upstream", key.nginxName());
            StringBuilder line = new StringBuilder(name).append(' ')
                    .append(methods.getOrDefault(key, LoadBalancing.ROUND_ROBIN).name().toLowerCase(Locale.ROOT));
            for (Endpoint endpoint : endpoints) {
                line.append(' ').append(NginxEscaping.endpointHost("endpoint host", endpoint.host())).append(':')
                        .append(NginxEscaping.port("endpoint port", endpoint.port()));
            }
            lines.put(name, line.toString());
        });
        StringBuilder body = new StringBuilder();
        lines.values().forEach(line -> body.append(line).append('\n'));
        return body.toString();
    }

    private String send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BalancerException("the balancer's " + what + " to " + upstreams + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BalancerException("interrupted during the balancer's " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new BalancerException("the balancer's " + what + " got " + response.statusCode() + ": "
                    + response.body().strip());
        }
        return response.body();
    }

    /** The control server refused a push or could not be reached. */
    public static final class BalancerException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        BalancerException(String message, Throwable cause) {
            super(message, cause instanceof IOException io ? io : new IOException(cause));
        }

        BalancerException(String message) {
            super(message, new IOException(message));
        }
    }
}
