package io.orchestry.provisioner.domain;

import java.time.Duration;
import java.util.List;

/** How the provisioner decides that a replica is healthy (and gets traffic). Defaults are applied by the mapper. */
public record HealthCheck(Probe probe, Duration interval, Duration timeout, int failureThreshold, Duration initialDelay) {

    public sealed interface Probe permits Http, Tcp, Exec {
    }

    /** Healthy on a 2xx or 3xx answer. Empty port name: the first port. */
    public record Http(String path, String portName) implements Probe {
    }

    /** Healthy when a connection is accepted. */
    public record Tcp(String portName) implements Probe {
    }

    /** Healthy when the command exits with 0, inside the container or beside the process. */
    public record Exec(String command, List<String> args) implements Probe {
        public Exec {
            args = List.copyOf(args);
        }
    }
}
