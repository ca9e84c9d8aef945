package io.orchestry.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Where the gateway finds each service and how long it waits for one.
 *
 * @param deadline    the deadline of every gRPC call the gateway makes (default 5s)
 * @param registry    gRPC target of registry-service (default 127.0.0.1:9090)
 * @param provisioner gRPC target of provisioner-service (default 127.0.0.1:9091)
 * @param scaler      gRPC target of scaler-service (default 127.0.0.1:9092)
 * @param proxy       gRPC target of proxy-service (default 127.0.0.1:9093)
 * @param restoreDeadline the deadline of a database restore, which answers only once the data is back (default 15m)
 * @param reloadDeadline  the deadline of a proxy reload, which answers once nginx -t, the reload and the probes are done (default 30s)
 */
@ConfigurationProperties("orchestry.gateway")
public record GatewayConfig(
        @NotNull @Bindable(defaultValue = "5s") Duration deadline,
        @NotBlank @Bindable(defaultValue = "127.0.0.1:9090") String registry,
        @NotBlank @Bindable(defaultValue = "127.0.0.1:9091") String provisioner,
        @NotBlank @Bindable(defaultValue = "127.0.0.1:9092") String scaler,
        @NotBlank @Bindable(defaultValue = "127.0.0.1:9093") String proxy,
        @NotNull @Bindable(defaultValue = "15m") Duration restoreDeadline,
        @NotNull @Bindable(defaultValue = "30s") Duration reloadDeadline) {
}
