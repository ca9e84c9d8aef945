package io.orchestry.proxy.domain;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A route as a caller asks for it (create, or the result of applying an update's mask to the stored route), before
 * {@code RouteValidator} has checked and normalized it.
 *
 * @param loadBalancing null: unspecified (round robin)
 * @param tls           null: plain HTTP only
 */
public record RouteRequest(
        String app,
        List<String> hosts,
        String pathPrefix,
        boolean stripPrefix,
        String portName,
        @Nullable Tls tls,
        @Nullable LoadBalancing loadBalancing,
        RouteTimeouts timeouts,
        boolean isDefault) {

    public RouteRequest {
        hosts = List.copyOf(hosts);
    }

    /** A certificate chain and its private key, as PEM text; the key in clear, in memory only. */
    public record Tls(String certificatePem, String privateKeyPem, boolean redirectHttp) {
    }
}
