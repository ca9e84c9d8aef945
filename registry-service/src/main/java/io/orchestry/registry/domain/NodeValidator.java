package io.orchestry.registry.domain;

import io.orchestry.names.ResourceNames;
import io.orchestry.error.Violations;

import java.util.regex.Pattern;

/**
 * The rules a node must satisfy before it is stored. Field names are those of the gRPC contract
 * ({@code capacity.cpu_millis}); every bad field is reported at once.
 */
public final class NodeValidator {
    /** Region and provider: lower case, digits, dashes and dots, at most 63 characters. */
    private static final Pattern TOPOLOGY_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$");
    private static final Pattern DOCKER_ENDPOINT = Pattern.compile("^(unix:///[^\\s]{1,255}|tcp://[A-Za-z0-9.\\-\\[\\]:]{1,253}:[0-9]{1,5})$");
    private static final Pattern KUBERNETES_ENDPOINT = Pattern.compile("^[A-Za-z0-9][-A-Za-z0-9_.@:]{0,252}/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    public static final int MAX_CREDENTIAL_BYTES = 64 * 1024;

    private NodeValidator() {
    }

    public static void validateRegistration(NodeRegistration registration) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "name", registration.name());
        if (violations.require(registration.driverKind() != null, "driver_kind",
                "required: one of process, docker, kubernetes")) {
            checkEndpoint(violations, registration.driverKind(), registration.endpoint());
        }
        checkTopology(violations, "region", registration.region());
        checkTopology(violations, "provider", registration.provider());
        ResourceNames.checkLabels(violations, "labels", registration.labels());
        if (violations.require(registration.capacity() != null, "capacity", "required")) {
            Resources capacity = registration.capacity();
            violations.require(capacity.cpuMillis() > 0, "capacity.cpu_millis", "must be greater than 0");
            violations.require(capacity.memoryBytes() > 0, "capacity.memory_bytes", "must be greater than 0");
            violations.require(capacity.diskBytes() >= 0, "capacity.disk_bytes", "must not be negative");
            Resources reserved = registration.reserved() == null ? Resources.NONE : registration.reserved();
            checkReserved(violations, "reserved.cpu_millis", reserved.cpuMillis(), capacity.cpuMillis());
            checkReserved(violations, "reserved.memory_bytes", reserved.memoryBytes(), capacity.memoryBytes());
            checkReserved(violations, "reserved.disk_bytes", reserved.diskBytes(), capacity.diskBytes());
        }
        violations.require(registration.credentials() == null || registration.credentials().length() <= MAX_CREDENTIAL_BYTES,
                "credentials", "at most " + MAX_CREDENTIAL_BYTES / 1024 + " KiB");
        violations.throwIfAny();
    }

    private static void checkEndpoint(Violations violations, DriverKind kind, String endpoint) {
        String value = endpoint == null ? "" : endpoint;
        switch (kind) {
            case PROCESS -> violations.require(value.isEmpty() || value.equals("local"), "endpoint",
                    "a process node runs on this machine: leave it empty or 'local'");
            case DOCKER -> violations.require(DOCKER_ENDPOINT.matcher(value).matches(), "endpoint",
                    "a Docker engine: unix:///path/to/docker.sock or tcp://host:port");
            case KUBERNETES -> violations.require(KUBERNETES_ENDPOINT.matcher(value).matches(), "endpoint",
                    "a Kubernetes context and namespace: <context>/<namespace>");
        }
    }

    private static void checkTopology(Violations violations, String field, String value) {
        if (value != null && !value.isEmpty()) {
            violations.require(TOPOLOGY_NAME.matcher(value).matches(), field,
                    "at most 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
        }
    }

    private static void checkReserved(Violations violations, String field, long reserved, long capacity) {
        if (violations.require(reserved >= 0, field, "must not be negative") && capacity >= 0) {
            violations.require(reserved <= capacity, field, "must not exceed the capacity");
        }
    }
}
