package io.orchestry.proxy.render;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The only way a value reaches nginx.conf: each context has its own small safe set, and a value outside it is refused
 * with an {@link IllegalArgumentException} naming the field. This is defence in depth behind the route validator: a value
 * the validator let through but that could change the meaning of the file (a {@code ;}, a brace, a quote, a {@code $}, a
 * {@code #}, a newline, a backslash, anything not ASCII) never reaches it.
 *
 * <p>The template engine's encoder calls {@link #token(String)} on every {@code {{value}}}, so even a value that skipped
 * its context check is still held to the common safe set.
 */
public final class NginxEscaping {
    /** What any rendered value may consist of; a double quote only as the first and last character of a quoted string. */
    private static final Pattern TOKEN = Pattern.compile("\"?[A-Za-z0-9._~/:*\\[\\]-]+\"?");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern UPSTREAM_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?__[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern PATH_PREFIX = Pattern.compile("/[A-Za-z0-9._~/-]*");
    private static final Pattern FILE_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9._~-]{8,128}");
    private static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9-]{1,64}");

    private NginxEscaping() {
    }

    /** The common safe set every rendered value is held to (the template encoder's check). */
    public static String token(String value) {
        if (value == null || value.isEmpty() || !TOKEN.matcher(value).matches() || unbalancedQuotes(value)) {
            throw refused("value", value);
        }
        return value;
    }

    /** A DNS name (lower case, punycode) or a wildcard {@code *.example.com}, as in {@code server_name}. */
    public static String hostName(String field, String value) {
        if (value == null || value.length() > 253) {
            throw refused(field, value);
        }
        String rest = value.startsWith("*.") ? value.substring(2) : value;
        String[] labels = rest.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw refused(field, value);
            }
        }
        return value;
    }

    /** An upstream server's host: an IPv4 or IPv6 address (rendered in brackets) or a DNS name. */
    public static String endpointHost(String field, String value) {
        if (value != null && IPV4.matcher(value).matches()) {
            return value;
        }
        if (value != null && value.length() <= 45 && IPV6.matcher(value).matches()) {
            return "[" + value + "]";
        }
        return hostName(field, value);
    }

    public static int port(String field, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(field + " is not a port: " + value);
        }
        return value;
    }

    /** A path prefix as a {@code location} argument: begins with {@code /}, then only unreserved URL characters. */
    public static String pathPrefix(String field, String value) {
        if (value == null || !PATH_PREFIX.matcher(value).matches()) {
            throw refused(field, value);
        }
        return value;
    }

    /**
     * A validated path prefix as a regular expression matching it literally: the only metacharacter the safe set lets in
     * is {@code .}, which becomes {@code [.]} (no backslash reaches the file).
     */
    public static String pathRegex(String field, String value) {
        return pathPrefix(field, value).replace(".", "[.]");
    }

    /** An absolute, normalized file path, double-quoted. */
    public static String quotedPath(String field, Path value) {
        String text = value == null ? null : value.toString();
        if (value == null || !value.isAbsolute() || !value.normalize().equals(value) || !FILE_PATH.matcher(text).matches()) {
            throw refused(field, text);
        }
        return "\"" + text + "\"";
    }

    /** An absolute, normalized file path, unquoted (for a value that goes inside a quoted string of the template). */
    public static String absolutePath(String field, Path value) {
        String quoted = quotedPath(field, value);
        return quoted.substring(1, quoted.length() - 1);
    }

    /** A secret or other plain word compared against a request value, double-quoted. */
    public static String quotedSecret(String field, String value) {
        if (value == null || !SECRET.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " is refused: it must be 8-128 of [A-Za-z0-9._~-]");
        }
        return "\"" + value + "\"";
    }

    /** The name of an upstream block (and of the balancer's entry). */
    public static String upstreamName(String field, String value) {
        if (value == null || !UPSTREAM_NAME.matcher(value).matches()) {
            throw refused(field, value);
        }
        return value;
    }

    /** A route id or app name as a quoted variable value. */
    public static String quotedName(String field, String value) {
        if (value == null || !ROUTE_ID.matcher(value).matches()) {
            throw refused(field, value);
        }
        return "\"" + value + "\"";
    }

    /** A duration in nginx's syntax: whole milliseconds, at least 1. */
    public static String milliseconds(String field, Duration value) {
        long millis = value.toMillis();
        if (millis < 1 || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be at least 1 ms: " + value);
        }
        return millis + "ms";
    }

    private static boolean unbalancedQuotes(String value) {
        boolean opens = value.charAt(0) == '"';
        boolean closes = value.length() > 1 && value.charAt(value.length() - 1) == '"';
        String inner = value.substring(opens ? 1 : 0, value.length() - (closes ? 1 : 0));
        return opens != closes || inner.isEmpty() || inner.indexOf('"') >= 0;
    }

    private static IllegalArgumentException refused(String field, String value) {
        return new IllegalArgumentException(field + " is refused for nginx.conf: " + describe(value));
    }

    /** The value with anything outside printable ASCII shown as a code point, so the message itself is safe to log. */
    private static String describe(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder("\"");
        value.codePoints().limit(80).forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                shown.appendCodePoint(c);
            } else {
                shown.append(String.format("\\u{%x}", c));
            }
        });
        return shown.append('"').toString();
    }
}
