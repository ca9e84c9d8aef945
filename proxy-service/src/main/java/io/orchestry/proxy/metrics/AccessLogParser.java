package io.orchestry.proxy.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses one line of the access log: a flat JSON object of string values ({@link AccessLogFormat}, written with nginx's
 * {@code escape=json}). Empty when the line is not such an object or a field is missing or not a number where one
 * belongs; it never throws on input.
 */
public final class AccessLogParser {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern UPSTREAM_SEPARATORS = Pattern.compile("[,:]");
    /** A line longer than this is not one of ours. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private AccessLogParser() {
    }

    public static Optional<AccessRecord> parse(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            return Optional.empty();
        }
        try {
            Map<String, String> fields = fields(line);
            if (fields == null) {
                return Optional.empty();
            }
            String time = fields.get("time");
            String status = fields.get("status");
            String requestTime = fields.get("request_time");
            if (time == null || status == null || requestTime == null) {
                return Optional.empty();
            }
            return Optional.of(new AccessRecord(
                    instant(time),
                    fields.getOrDefault("route", ""),
                    fields.getOrDefault("app", ""),
                    fields.getOrDefault("upstream", ""),
                    Integer.parseInt(status),
                    bytes(fields.get("bytes")),
                    seconds(requestTime),
                    lastUpstreamTime(fields.get("upstream_time"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The object's fields, or null when the line is not one flat object of strings. */
    private static Map<String, String> fields(String line) throws IOException {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, String> fields = new HashMap<>();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                fields.put(name, parser.getText());
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return fields;
        }
    }

    /** {@code $msec}: epoch seconds with milliseconds, "1767225600.123". */
    private static Instant instant(String msec) {
        BigDecimal seconds = new BigDecimal(msec);
        if (seconds.signum() < 0) {
            throw new NumberFormatException("negative time " + msec);
        }
        return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    private static long bytes(String value) {
        return value == null || value.isEmpty() || "-".equals(value) ? 0 : Long.parseLong(value);
    }

    private static Duration seconds(String value) {
        BigDecimal seconds = new BigDecimal(value.trim());
        if (seconds.signum() < 0) {
            throw new NumberFormatException("negative duration " + value);
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }

    /**
     * {@code $upstream_response_time}: "-" without an upstream, "0.004, 0.002" when nginx tried the next upstream and
     * "0.004 : 0.002" after an internal redirect; the last value is the response the client got (null if it is "-").
     */
    private static Duration lastUpstreamTime(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = UPSTREAM_SEPARATORS.split(value, -1);
        String last = parts.length == 0 ? "" : parts[parts.length - 1].trim();
        return last.isEmpty() || "-".equals(last) ? null : seconds(last);
    }
}
