package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.RevisionOutcome;

/** What one apply did: a final outcome and, unless APPLIED, why (nginx's output, the reload's or the probe's error). */
public record ApplyOutcome(RevisionOutcome outcome, String error) {
    public static ApplyOutcome applied() {
        return new ApplyOutcome(RevisionOutcome.APPLIED, "");
    }
}
