package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.RevisionOutcome;

/**
 * What one apply did: a final outcome and, unless APPLIED, why (nginx's output, the reload's or the probe's error).
 *
 * @param failedRoute the route whose probe failed (ROLLED_BACK by a probe); empty otherwise
 */
public record ApplyOutcome(RevisionOutcome outcome, String error, String failedRoute) {
    public ApplyOutcome(RevisionOutcome outcome, String error) {
        this(outcome, error, "");
    }

    public static ApplyOutcome applied() {
        return new ApplyOutcome(RevisionOutcome.APPLIED, "");
    }
}
