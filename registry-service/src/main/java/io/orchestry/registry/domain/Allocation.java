package io.orchestry.registry.domain;

/** What the provisioner has placed on a node: the resources its workloads ask for, and how many there are. */
public record Allocation(Resources resources, int workloads) {
    public static final Allocation NONE = new Allocation(Resources.NONE, 0);
}
