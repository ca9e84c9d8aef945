package io.orchestry.provisioner.runtime;

import io.micronaut.core.annotation.Nullable;

/** Which of our workloads a list means: null fields match any. */
public record OwnerSelector(@Nullable String project, @Nullable String app) {
    public static final OwnerSelector ALL = new OwnerSelector(null, null);

    public static OwnerSelector app(String app) {
        return new OwnerSelector(null, app);
    }

    public boolean matches(OwnerLabels owner) {
        return (project == null || project.equals(owner.project())) && (app == null || app.equals(owner.app()));
    }
}
