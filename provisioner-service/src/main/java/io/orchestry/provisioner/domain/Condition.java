package io.orchestry.provisioner.domain;

import java.time.Instant;

/**
 * A Kubernetes-style condition.
 *
 * @param reason UpperCamelCase, e.g. {@code MinimumReplicasAvailable}, {@code ProgressDeadlineExceeded}
 */
public record Condition(ConditionType type, ConditionStatus status, String reason, String message,
                        Instant lastTransitionTime, long observedGeneration) {

    public enum ConditionType { AVAILABLE, PROGRESSING, DEGRADED }

    public enum ConditionStatus { TRUE, FALSE, UNKNOWN }
}
