package io.orchestry.proxy.upstreams;

import java.util.Map;

/**
 * An instance as the provisioner reports it, reduced to what decides whether it serves.
 *
 * @param serving RUNNING, HEALTHY and not retiring
 * @param state   for reasons: "unhealthy", "retiring", "stopped", "healthy"...
 * @param ports   port name → port on {@code host}
 */
public record ObservedInstance(String id, String app, boolean serving, String state, String host, Map<String, Integer> ports) {
    public ObservedInstance {
        ports = Map.copyOf(ports);
    }
}
