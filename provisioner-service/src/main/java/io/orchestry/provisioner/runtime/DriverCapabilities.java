package io.orchestry.provisioner.runtime;

import io.orchestry.provisioner.domain.DriverKind;

/**
 * What a driver can do, so callers switch features on instead of catching errors.
 *
 * @param enforcesLimits CPU and memory limits are applied (cgroups, the engine), not only recorded
 */
public record DriverCapabilities(DriverKind kind, boolean stats, boolean logs, boolean exec, boolean enforcesLimits) {
}
