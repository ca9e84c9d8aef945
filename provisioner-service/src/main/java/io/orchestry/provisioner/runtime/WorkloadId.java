package io.orchestry.provisioner.runtime;

/** A workload's deterministic name on its node: the instance id ({@code orchestry-<app>-<revision>-<n>}). */
public record WorkloadId(String value) {
    @Override
    public String toString() {
        return value;
    }
}
