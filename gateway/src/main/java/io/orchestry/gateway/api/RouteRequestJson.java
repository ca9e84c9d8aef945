package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The bodies of the route and proxy endpoints. The proxy checks every value against a strict
 * pattern and names every bad field. A body that carries a private key never shows it in
 * {@code toString}, so no log can hold it.
 */
public final class RouteRequestJson {
    private RouteRequestJson() {
    }

    /**
     * {@code POST /api/v1/routes} and, with {@code version}, {@code PUT /api/v1/routes/{id}} (a full
     * replace: an absent field takes its default, an absent {@code tls} means plain HTTP).
     *
     * @param app           the app traffic goes to; must exist
     * @param hosts         exact host names (punycode for non-ASCII) or {@code *.example.com}; absent: any host
     * @param pathPrefix    begins with {@code /}, characters {@code [A-Za-z0-9._~/-]}; absent: {@code /}
     * @param stripPrefix   remove {@code pathPrefix} before passing the request on
     * @param portName      one of the app's ports; absent: its first
     * @param tls           certificate and key (PEM); the key is write-only
     * @param loadBalancing round_robin (the default), least_conn or ip_hash
     * @param timeouts      ISO-8601 durations, e.g. {@code {"connect": "PT5S", "read": "PT60S"}}
     * @param isDefault     served for requests no other route matches (at most one route)
     * @param version       PUT only: the route's current version
     */
    @Schema(example = """
            {"app": "web", "hosts": ["shop.example.com"], "pathPrefix": "/", "loadBalancing": "least_conn",
             "timeouts": {"connect": "PT5S", "read": "PT60S"}}""")
    @Serdeable
    public record Route(@Nullable String app, @Nullable List<String> hosts, @Nullable String pathPrefix,
                        @Nullable Boolean stripPrefix, @Nullable String portName, @Nullable Tls tls,
                        @Nullable String loadBalancing, @Nullable RouteJson.Timeouts timeouts, @Nullable Boolean isDefault,
                        @Nullable Long version) {
    }

    /**
     * A route's certificate and key.
     *
     * @param certificatePem the chain, leaf first
     * @param privateKeyPem  write-only: stored encrypted, never returned
     * @param redirectHttp   redirect plain HTTP to HTTPS
     */
    @Serdeable
    public record Tls(@Nullable String certificatePem, @Nullable String privateKeyPem, @Nullable Boolean redirectHttp) {
        @Override
        public String toString() {
            return "Tls[certificatePem=" + (certificatePem == null ? "absent" : certificatePem.length() + " chars")
                    + ", privateKeyPem=" + (privateKeyPem == null ? "absent" : "***") + ", redirectHttp=" + redirectHttp + "]";
        }
    }

    /** {@code POST /api/v1/proxy/reload}: renders and applies now, even if nothing changed. */
    @Schema(example = """
            {"reason": "certificate files replaced"}""")
    @Serdeable
    public record Reload(@Nullable String reason) {
    }
}
