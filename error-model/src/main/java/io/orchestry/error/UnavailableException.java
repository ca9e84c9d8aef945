package io.orchestry.error;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** Something this call needs (a database, another service, a driver's engine) is not answering. */
public final class UnavailableException extends OrchestryException {
    private final String dependency;
    private final Duration retryAfter;

    public UnavailableException(String dependency, Duration retryAfter, Throwable cause) {
        super(ErrorReason.UNAVAILABLE, dependency + " is unavailable", cause);
        this.dependency = Objects.requireNonNull(dependency, "dependency");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public String dependency() {
        return dependency;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("dependency", dependency);
    }
}
