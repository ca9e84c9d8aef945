package io.orchestry.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 keep-alive connection to 127.0.0.1:{@code port}, one request at a time, with any Host header (the
 * JDK's HttpClient refuses to set one) and no hidden retries: the caller sees every failure. The one retry it does
 * is the one every keep-alive client does — a request on a reused connection that fails before any byte of the
 * response came (the server closed the idle connection as the request left: nginx's old workers do so after a
 * reload) is sent once more on a new connection — and it is counted in {@link #retries()}.
 */
final class ProxyHttpConnection implements AutoCloseable {
    private static final Pattern INSTANCE = Pattern.compile("\"instance\":\"([^\"]*)\"");

    /** A response: its status and body. */
    record Response(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The demo app's {@code "instance"}; empty when the body is not the demo app's. */
        String instance() {
            Matcher m = INSTANCE.matcher(body);
            return m.find() ? m.group(1) : "";
        }
    }

    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean responseStarted;
    private long retries;

    ProxyHttpConnection(int port, Duration timeout) {
        this.port = port;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** {@code GET path} with {@code Host: host}. */
    Response get(String host, String path) throws IOException {
        // a socket stays open only after a complete response: one that is open now is a reused keep-alive connection
        boolean reusing = socket != null;
        try {
            return exchange(host, path);
        } catch (IOException e) {
            close();
            if (!reusing || responseStarted || e instanceof java.net.SocketTimeoutException) {
                throw e;
            }
            retries++;
            try {
                return exchange(host, path);
            } catch (IOException again) {
                close();
                throw again;
            }
        }
    }

    /** Requests sent again after a reused connection was found closed before the response began. */
    long retries() {
        return retries;
    }

    private Response exchange(String host, String path) throws IOException {
        responseStarted = false;
        if (socket == null) {
            connect();
        }
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: orchestry-bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the connection was closed before the response began");
        }
        responseStarted = true;
        return readResponse(first);
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    private Response readResponse(int first) throws IOException {
        String statusLine = (char) first + line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                copy(size, body);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            copy(length, body);
        } else {
            in.transferTo(body);
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    private void copy(long length, ByteArrayOutputStream body) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("the body ended " + left + " bytes early");
            }
            body.write(buffer, 0, n);
            left -= n;
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the response ended inside a line");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
