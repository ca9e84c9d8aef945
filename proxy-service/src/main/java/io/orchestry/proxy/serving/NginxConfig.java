package io.orchestry.proxy.serving;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Locale;

/**
 * The nginx the proxy drives ({@code orchestry.proxy.nginx.*}, see application.yml).
 *
 * @param mode                  managed | external | off
 * @param lua                   auto (the balancer when the module loads) | on (required) | off (static upstreams)
 * @param externalPidFile       mode external: the pid file of the nginx that was started with
 *                              {@code -c <state>/current/nginx.conf}
 */
@ConfigurationProperties("orchestry.proxy.nginx")
public record NginxConfig(@Bindable(defaultValue = "managed") String mode,
                          @Bindable(defaultValue = "nginx") String binary,
                          @Bindable(defaultValue = "127.0.0.1") String listenAddress,
                          @Bindable(defaultValue = "8088") int httpPort,
                          @Bindable(defaultValue = "8443") int httpsPort,
                          @Bindable(defaultValue = "auto") String lua,
                          @Bindable(defaultValue = "8089") int controlPort,
                          @Bindable(defaultValue = "1") int workerProcesses,
                          @Bindable(defaultValue = "10s") Duration workerShutdownTimeout,
                          @Nullable String externalPidFile) {
    public NginxConfig {
        mode = mode == null ? "managed" : mode.trim().toLowerCase(Locale.ROOT);
        lua = lua == null ? "auto" : lua.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("managed") && !mode.equals("external") && !mode.equals("off")) {
            throw new IllegalArgumentException("orchestry.proxy.nginx.mode must be managed, external or off, not " + mode);
        }
        if (!lua.equals("auto") && !lua.equals("on") && !lua.equals("off")) {
            throw new IllegalArgumentException("orchestry.proxy.nginx.lua must be auto, on or off, not " + lua);
        }
        if (workerShutdownTimeout == null) {
            workerShutdownTimeout = Duration.ofSeconds(10);
        }
    }

    public boolean served() {
        return !mode.equals("off");
    }
}
