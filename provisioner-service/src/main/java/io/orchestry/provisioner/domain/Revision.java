package io.orchestry.provisioner.domain;

import java.time.Instant;

/** One revision of an app: what ran (the spec as it was, replicas included) from the time it was made. */
public record Revision(String app, long number, AppSpec spec, Instant createTime) {
}
