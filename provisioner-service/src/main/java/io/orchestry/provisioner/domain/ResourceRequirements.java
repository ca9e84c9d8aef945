package io.orchestry.provisioner.domain;

/**
 * Per replica.
 *
 * @param requests what placement reserves on a node (and the scaler's base of utilization)
 * @param limits   what the driver enforces; zero on an axis: no limit
 */
public record ResourceRequirements(ComputeResources requests, ComputeResources limits) {
    public static final ResourceRequirements NONE = new ResourceRequirements(ComputeResources.ZERO, ComputeResources.ZERO);
}
