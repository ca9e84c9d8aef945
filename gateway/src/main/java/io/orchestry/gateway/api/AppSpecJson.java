package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * What an app should run, as {@code app.proto}'s {@code AppSpec} in lowerCamelCase. Exactly one of
 * {@code process} and {@code container}. Enum values are lower-case words without their prefix
 * ({@code "rolling_update"}, {@code "on_failure"}); durations are ISO-8601 strings ({@code "PT10S"},
 * {@code "PT0.5S"}). In a {@code PATCH}, a field left out stays as it is.
 *
 * @param env                plain environment variables; names {@code ^[A-Za-z_][A-Za-z0-9_]*$}, PORT and PORT_* reserved
 * @param replicas           desired replicas while the app is not stopped
 * @param restartPolicy      always, on_failure or never
 * @param deploymentStrategy rolling_update (the default) or recreate
 * @param rollingUpdate      used when deploymentStrategy is rolling_update
 */
@Serdeable
public record AppSpecJson(
        @Nullable Process process,
        @Nullable Container container,
        @Nullable Map<String, String> env,
        @Nullable List<Port> ports,
        @Nullable Integer replicas,
        @Nullable Resources resources,
        @Nullable HealthCheck healthCheck,
        @Nullable String restartPolicy,
        @Nullable Placement placement,
        @Nullable String deploymentStrategy,
        @Nullable RollingUpdate rollingUpdate) {

    /** A local OS process: an executable path or a name on the node's PATH. */
    @Serdeable
    public record Process(@Nullable String command, @Nullable List<String> args, @Nullable String workingDir) {
    }

    /**
     * A container image.
     *
     * @param pullPolicy never (the default: an image missing on the node is an error), if_not_present or always
     */
    @Serdeable
    public record Container(@Nullable String image, @Nullable String command, @Nullable List<String> args,
                            @Nullable String pullPolicy) {
    }

    /**
     * A named port.
     *
     * @param containerPort the port inside the container (processes get a free port as $PORT / $PORT_NAME)
     * @param protocol      tcp (the default) or udp
     */
    @Serdeable
    public record Port(@Nullable String name, @Nullable Integer containerPort, @Nullable String protocol) {
    }

    /** Per replica: what placement reserves, and what the driver enforces (zero: no limit). */
    @Serdeable
    public record Resources(@Nullable Compute requests, @Nullable Compute limits) {
    }

    /** Thousandths of a core, and bytes. */
    @Serdeable
    public record Compute(@Nullable Long cpuMillis, @Nullable Long memoryBytes) {
    }

    /**
     * One of http, tcp and exec, with its timing (ISO-8601 durations).
     *
     * @param failureThreshold consecutive failures before a replica counts as unhealthy
     */
    @Serdeable
    public record HealthCheck(@Nullable Http http, @Nullable Tcp tcp, @Nullable Exec exec, @Nullable String interval,
                              @Nullable String timeout, @Nullable Integer failureThreshold, @Nullable String initialDelay) {
    }

    /** Healthy on a 2xx or 3xx answer to {@code path} on the named port (empty: the first one). */
    @Serdeable
    public record Http(@Nullable String path, @Nullable String portName) {
    }

    /** Healthy when the named port (empty: the first one) accepts a connection. */
    @Serdeable
    public record Tcp(@Nullable String portName) {
    }

    /** Healthy when the command exits with 0. */
    @Serdeable
    public record Exec(@Nullable String command, @Nullable List<String> args) {
    }

    /**
     * Where replicas may go.
     *
     * @param nodeLabelSelector the registry's selector syntax: {@code k=v,k2!=v2,k3,!k4}
     * @param strategy          spread (the default) or binpack
     */
    @Serdeable
    public record Placement(@Nullable String nodeLabelSelector, @Nullable List<String> regions, @Nullable String strategy) {
    }

    /** Replicas above and below the desired count during a rollout, and its timing (ISO-8601 durations). */
    @Serdeable
    public record RollingUpdate(@Nullable Integer maxSurge, @Nullable Integer maxUnavailable, @Nullable String minReady,
                                @Nullable String progressDeadline) {
    }
}
