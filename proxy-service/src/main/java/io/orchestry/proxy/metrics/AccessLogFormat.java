package io.orchestry.proxy.metrics;

/**
 * The one JSON access log format: the renderer writes {@link #LOG_FORMAT} into nginx.conf, the tailer parses its lines.
 * {@code $orchestry_route} and {@code $orchestry_app} are set in each route's location (empty for requests no route
 * took). Fields: time (epoch seconds with ms), route, app, instance address(es) as nginx writes them, status, bytes sent,
 * request time (s), upstream response time(s) (s, "-" or "a, b" when nginx tried more than one).
 */
public final class AccessLogFormat {
    public static final String NAME = "orchestry_json";
    /** The body of {@code log_format orchestry_json escape=json '...'} (without the quotes). */
    public static final String LOG_FORMAT = "{\"time\":\"$msec\",\"route\":\"$orchestry_route\",\"app\":\"$orchestry_app\","
            + "\"upstream\":\"$upstream_addr\",\"status\":\"$status\",\"bytes\":\"$body_bytes_sent\","
            + "\"request_time\":\"$request_time\",\"upstream_time\":\"$upstream_response_time\"}";

    private AccessLogFormat() {
    }
}
