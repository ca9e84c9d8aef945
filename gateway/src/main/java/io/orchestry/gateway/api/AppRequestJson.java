package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/** The bodies of the app endpoints. Everything is checked by the provisioner, which names every bad field. */
public final class AppRequestJson {
    private AppRequestJson() {
    }

    /** {@code POST /api/v1/apps}: a DNS-label name unique across Orchestry, the project that owns it, labels and spec. */
    @Schema(example = """
            {"name": "web", "project": "shop", "labels": {"tier": "front"},
             "spec": {"process": {"command": "python3", "args": ["-m", "http.server", "${PORT}"]},
                      "ports": [{"name": "http"}], "replicas": 2,
                      "healthCheck": {"http": {"path": "/"}, "interval": "PT5S", "timeout": "PT1S"}}}""")
    @Serdeable
    public record Create(@Nullable String name, @Nullable String project, @Nullable Map<String, String> labels,
                         @Nullable AppSpecJson spec) {
    }

    /**
     * {@code PUT} (labels and spec replaced whole) or {@code PATCH} (only the fields given, down to
     * one field of the spec) of {@code /api/v1/apps/{app}}, with {@code version} as last read.
     */
    @Schema(example = """
            {"version": 3, "labels": {"tier": "front"}, "spec": {"env": {"LOG_LEVEL": "debug"}}}""")
    @Serdeable
    public record Update(@Nullable Long version, @Nullable Map<String, String> labels, @Nullable AppSpecJson spec) {
    }

    /**
     * {@code POST /api/v1/apps/{app}/scale}.
     *
     * @param replicas 0 or more
     * @param reason   why, for the history
     * @param version  when given, the app's current version (409 otherwise)
     */
    @Schema(example = """
            {"replicas": 4, "reason": "launch day"}""")
    @Serdeable
    public record Scale(@Nullable Integer replicas, @Nullable String reason, @Nullable Long version) {
    }

    /**
     * {@code POST /api/v1/apps/{app}/rollback}.
     *
     * @param toRevision the revision to go back to; absent or 0: the one before the current one
     */
    @Serdeable
    public record Rollback(@Nullable Long toRevision) {
    }
}
