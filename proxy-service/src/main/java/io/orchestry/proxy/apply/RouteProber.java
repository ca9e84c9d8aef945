package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.Endpoint;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends probes through our own nginx, on raw sockets (the JDK's HttpClient does not let a request set Host): a request
 * carrying {@code X-Orchestry-Probe: <token>} is answered with {@code X-Orchestry-Route} (the route that matched) and
 * {@code X-Orchestry-Upstream} ($upstream_addr). A probe is retried until it passes or its timeout ends: right after a
 * reload a connection can still reach a worker of the old generation.
 */
public final class RouteProber {
    public static final String PROBE_HEADER = "X-Orchestry-Probe";
    public static final String ROUTE_HEADER = "X-Orchestry-Route";
    public static final String UPSTREAM_HEADER = "X-Orchestry-Upstream";
    private static final Duration RETRY = Duration.ofMillis(50);
    /** No attempt begins with less time than this left: its timeout would hide the answer of the one before. */
    private static final Duration LAST_ATTEMPT = Duration.ofMillis(500);
    private static final int MAX_HEAD = 64 * 1024;

    private final String address;
    private final int httpPort;
    private final int httpsPort;
    private final String token;
    private final Duration timeout;

    /**
     * @param address where nginx listens (NginxSettings.listenAddress; {@code 0.0.0.0} is probed on 127.0.0.1)
     * @param timeout per probe, retries included ({@code orchestry.proxy.apply.probe-timeout})
     */
    public RouteProber(String address, int httpPort, int httpsPort, String token, Duration timeout) {
        this.address = "0.0.0.0".equals(address) || "::".equals(address) ? "127.0.0.1" : address;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.token = token;
        this.timeout = timeout;
    }

    /** Empty when the route serves as it should; else why not (the last attempt's answer). */
    public Optional<String> check(RouteProbe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String failure;
        while (true) {
            failure = attempt(probe, deadline);
            if (failure == null) {
                return Optional.empty();
            }
            if (System.nanoTime() + RETRY.toNanos() + LAST_ATTEMPT.toNanos() - deadline > 0) {
                return Optional.of(failure);
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted; last: " + failure);
            }
        }
    }

    private String attempt(RouteProbe probe, long deadline) {
        int port = probe.tls() ? httpsPort : httpPort;
        if (probe.tls() && port <= 0) {
            return "the route has TLS but nginx has no https port";
        }
        int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        Response response;
        try {
            response = send(probe, port, left);
        } catch (IOException | GeneralSecurityException e) {
            return (probe.tls() ? "https" : "http") + "://" + probe.host() + ":" + port + probe.path() + " failed: " + e;
        }
        String where = "GET " + probe.path() + " on host " + probe.host() + " answered " + response.status();
        String route = response.header(ROUTE_HEADER);
        if (!probe.routeId().equals(route)) {
            return where + " from route " + (route == null ? "(none: no " + ROUTE_HEADER + " header)" : route)
                    + ", not " + probe.routeId();
        }
        if (response.status() == 502 || response.status() == 504) {
            return where + " (upstream " + response.header(UPSTREAM_HEADER) + ")";
        }
        if (probe.endpoints().isEmpty() || response.status() == 503) {
            // no endpoint (or none left: a replica change since the rendering) answers 503 from the route itself
            return response.status() == 503 ? null : where + "; a route without endpoints should answer 503";
        }
        // the route reached one of its app's servers; which one may differ from the rendering's list when a replica
        // changed in between (the balancer has the newer set), so only its presence is required
        String upstream = lastAddress(response.header(UPSTREAM_HEADER));
        return upstream.equals("(none)") ? where + " with no upstream: the route did not reach its app" : null;
    }

    /** $upstream_addr lists every server tried ({@code a, b} or {@code a : b}): the last one answered. */
    private static String lastAddress(String upstreamAddr) {
        if (upstreamAddr == null) {
            return "(none)";
        }
        String[] parts = upstreamAddr.split("[,:]\\s");
        return parts[parts.length - 1].strip();
    }

    private Response send(RouteProbe probe, int port, int timeoutMillis) throws IOException, GeneralSecurityException {
        try (Socket socket = open(probe, port, timeoutMillis)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            String request = "GET " + probe.path() + " HTTP/1.1\r\n"
                    + "Host: " + probe.host() + "\r\n"
                    + PROBE_HEADER + ": " + token + "\r\n"
                    + "User-Agent: orchestry-probe\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return Response.read(socket.getInputStream());
        }
    }

    private Socket open(RouteProbe probe, int port, int timeoutMillis) throws IOException, GeneralSecurityException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(address, port), timeoutMillis);
            if (!probe.tls()) {
                return plain;
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustOurOwnNginx()}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, probe.host(), port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(java.util.List.of(new SNIHostName(probe.host())));
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(timeoutMillis);
            tls.startHandshake();
            return tls;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private record Response(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        static Response read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) { // the blank line after the headers
                int b = in.read();
                if (b < 0 || head.size() > MAX_HEAD) {
                    break;
                }
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response: " + lines[0]);
            }
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).strip());
                }
            }
            try {
                return new Response(Integer.parseInt(statusLine[1]), headers);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + lines[0], e);
            }
        }
    }

    /** The probe talks to our own nginx on a local address; the route's certificate need not be trusted by the JDK. */
    @SuppressWarnings("java:S4830")
    private static final class TrustOurOwnNginx implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
