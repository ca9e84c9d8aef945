package io.orchestry.registry.domain;

/** Whether new work may be placed on a node. */
public enum SchedulingMode {
    SCHEDULABLE, CORDONED, DRAINING
}
